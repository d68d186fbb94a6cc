"""jianggao cleaning stages: plain Python, one module per stage, no Prefect.

The public entry points are `clean_document` and `clean_path` (see `cleaners.api`). They load
on first use, so importing one stage module does not load the whole pipeline.
"""

from typing import Any

__all__ = ["DocumentResult", "Settings", "clean_document", "clean_path"]


def __getattr__(name: str) -> Any:
    if name in ("DocumentResult", "clean_document", "clean_path"):
        from cleaners import api

        return getattr(api, name)
    if name == "Settings":
        from cleaners.settings import Settings

        return Settings
    raise AttributeError(f"module 'cleaners' has no attribute {name!r}")
