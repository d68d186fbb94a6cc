"""jianggao cleaning stages: plain Python, one module per stage, no Prefect."""
