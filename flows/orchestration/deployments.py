"""`jianggao serve`: the flow's scheduled and manual deployments, served from this process.

Schedules need a real Prefect server (`prefect server start`, then PREFECT_API_URL pointing at
it); the embedded temporary server of `jianggao run` lives only as long as one run.
"""

from __future__ import annotations

from pathlib import Path

from prefect import serve
from prefect.schedules import Cron

from flows.orchestration.clean_corpus import clean_corpus

DEFAULT_CRON = "0 2 * * *"


def build_deployments(raw_dir: str, clean_dir: str, cron: str = DEFAULT_CRON, timezone: str = "UTC") -> list:
    """A `scheduled` deployment on `cron` and a `manual` one, both with the flow's parameters.

    Folders are made absolute so runs find them whatever directory the server was started in;
    `prefect deployment run 'clean_corpus/manual' --param raw_dir=...` overrides any parameter.
    """
    parameters = {"raw_dir": str(Path(raw_dir).resolve()), "clean_dir": str(Path(clean_dir).resolve())}
    scheduled = clean_corpus.to_deployment(
        name="scheduled",
        schedules=[Cron(cron, timezone=timezone)],
        parameters=parameters,
        description="Clean new and changed inputs on a schedule.",
        tags=["jianggao"],
    )
    manual = clean_corpus.to_deployment(
        name="manual",
        parameters=parameters,
        description="Clean on demand; pass parameters with --param.",
        tags=["jianggao"],
    )
    return [scheduled, manual]


def serve_deployments(raw_dir: str, clean_dir: str, cron: str = DEFAULT_CRON, timezone: str = "UTC") -> None:
    """Register both deployments and run their flow runs until interrupted."""
    serve(*build_deployments(raw_dir, clean_dir, cron, timezone), print_starting_message=True)
