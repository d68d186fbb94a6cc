"""jianggao orchestration: Prefect flows and the command line over cleaners/."""
