"""`jianggao serve` and `prefect deploy` against a real Prefect server on loopback.

The server, `jianggao serve` and the `prefect` commands run as subprocesses with their own
PREFECT_HOME (a fresh SQLite database) and PREFECT_API_URL, so nothing here touches the session's
`prefect_test_harness`. Every wait is bounded, and every process started is stopped, children
included, whether the tests pass or not.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

import psutil
import pytest

from cleaners.records import load_records

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "raw"
CRON = "30 4 * * *"
TITLES = {
    "在全县教育系统作风建设推进会上的党课讲稿",
    "在全市安全生产工作会议上的讲话",
    "党课：守好廉洁底线，争做清廉干部",
    "在机关党支部主题党日活动上的讲话",
    "在社区党委七一座谈会上的讲话",
}
SERVER_STARTUP = 120  # seconds; a fresh database is migrated first (about 30 s on two slow cores)
RUN_TIMEOUT = 150  # seconds for one served flow run, from `prefect deployment run` to Completed

# pyproject.toml caps two versions Prefect 3.8.8 allows but breaks with; these tests would catch
# a lifted cap:
# - SQLAlchemy 2.1: the server's scheduler fails to insert scheduled runs ("Can't evaluate bulk
#   DML statement"), so a cron deployment never gets a run;
# - FastAPI 0.151+: explicit JSON nulls are no longer read as "use the default", and
#   `prefect deploy` stops on a 422 from /work_pools/{name}/workers/filter.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """This process's environment without its Prefect settings, plus a private PREFECT_HOME."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_RUNNER_POLL_FREQUENCY="2",  # seconds between `serve` looking for runs to start
        PREFECT_CLI_PROMPT="false",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@contextmanager
def _background(cmd: list[str], env: dict[str, str], log: Path, cwd: Path):
    """Run `cmd` in its own session; on exit stop it and its children: SIGINT, SIGTERM, SIGKILL."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        _stop_tree(proc)


def _stop_tree(proc: subprocess.Popen) -> None:
    """SIGINT, then SIGTERM, then SIGKILL to `proc` and all its children, each with a grace period."""
    try:
        root = psutil.Process(proc.pid)
        family = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for sig, grace in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        for member in family:
            with suppress(psutil.NoSuchProcess):
                member.send_signal(sig)
        _, family = psutil.wait_procs(family, timeout=grace)
        if not family:
            break
    with suppress(ProcessLookupError):  # anything left in the session, orphans included
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=5)


def _wait_until(check, timeout: float, what: str, proc: subprocess.Popen | None = None, log=None):
    """Poll `check()` until it returns something truthy; fail with `log` if `proc` dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{what}: process exited with {proc.returncode}\n{_tail(log)}")
        time.sleep(0.5)
    pytest.fail(f"{what}: not after {timeout} s\n{_tail(log)}")


def _tail(log: Path | None, lines: int = 40) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _prefect(args: list[str], env: dict[str, str], timeout: float, cwd: Path = REPO):
    return subprocess.run(
        [sys.executable, "-m", "prefect", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextmanager
def _client(api_url: str):
    """A synchronous Prefect client for `api_url`, set in a settings context, not os.environ."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        yield client


def _deployment(client, name: str):
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_deployment_by_name(name)
    except ObjectNotFound:
        return None


def _runs_of(client, deployment_id, state: str | None = None) -> list:
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )

    flow_runs = None
    if state:
        flow_runs = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[state])))
    from prefect.client.schemas.sorting import FlowRunSort

    # An explicit limit and sort: FastAPI 0.151+ refuses the nulls the client sends otherwise.
    return client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=flow_runs,
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        limit=50,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A Prefect server and `jianggao serve RAW CLEAN --cron CRON`, with their logs."""
    root = tmp_path_factory.mktemp("serve")
    home, raw, clean = root / "prefect-home", root / "raw", root / "clean"
    home.mkdir()
    shutil.copytree(SAMPLES, raw)
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server_log, serve_log = root / "server.log", root / "serve.log"
    with ExitStack() as stack:
        server = stack.enter_context(
            _background(
                [
                    sys.executable,
                    "-m",
                    "prefect",
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    f"{port}",
                ],
                _env(home),
                server_log,
                root,
            )
        )
        with _client(api_url) as client:
            _wait_until(
                lambda: _healthy(client), SERVER_STARTUP, "prefect server /api/health", server, server_log
            )
        # Registered last, so stopped first: `serve` must not outlive its server.
        serve = stack.enter_context(
            _background(
                [sys.executable, "-m", "flows.cli", "serve", str(raw), str(clean), "--cron", CRON],
                _env(home, api_url),
                serve_log,
                root,
            )
        )
        with _client(api_url) as client:
            _wait_until(
                lambda: _deployment(client, "clean_corpus/manual"), 90, "jianggao serve", serve, serve_log
            )
        yield {"root": root, "home": home, "raw": raw, "clean": clean, "api_url": api_url, "log": serve_log}


def _healthy(client) -> bool:
    try:
        return client.api_healthcheck() is None
    except Exception:
        return False


@pytest.fixture(scope="module")
def manual_run(served):
    """`prefect deployment run 'clean_corpus/manual'` with folders other than the served ones."""
    other = served["root"] / "other-clean"
    result = _prefect(
        [
            "deployment",
            "run",
            "clean_corpus/manual",
            "--param",
            f"raw_dir={served['raw']}",
            "--param",
            f"clean_dir={other}",
            "--param",
            "force=true",
            "--watch",
            "--watch-timeout",
            str(RUN_TIMEOUT - 20),
        ],
        _env(served["home"], served["api_url"]),
        timeout=RUN_TIMEOUT,
    )
    with _client(served["api_url"]) as client:
        deployment = client.read_deployment_by_name("clean_corpus/manual")
        runs = _runs_of(client, deployment.id)
    return {"result": result, "runs": runs, "clean": other}


def test_manual_deployment_runs_with_the_given_parameters(served, manual_run):
    result = manual_run["result"]
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{_tail(served['log'])}"
    [run] = manual_run["runs"]
    assert run.state.is_completed()
    assert run.parameters == {
        "raw_dir": str(served["raw"]),
        "clean_dir": str(manual_run["clean"]),
        "force": True,
    }


def test_manual_run_writes_records_and_report_where_told(served, manual_run):
    clean = manual_run["clean"]
    titles = [
        rec["title"]
        for path in sorted(clean.rglob("*.yaml"))
        if "_jianggao" not in path.parts
        for rec in load_records(path.read_text(encoding="utf-8"))
        if "sections" in rec
    ]
    assert sorted(titles) == sorted(TITLES)
    report = (clean / "_jianggao" / "report.md").read_text(encoding="utf-8")
    assert "scan-photo.txt" in report
    assert not served["clean"].exists(), "the served default clean folder must stay untouched"


def test_scheduled_deployment_carries_the_cron_and_folders(served):
    with _client(served["api_url"]) as client:
        deployment = client.read_deployment_by_name("clean_corpus/scheduled")
    [schedule] = deployment.schedules
    assert schedule.active
    assert schedule.schedule.cron == CRON
    assert schedule.schedule.timezone == "UTC"
    assert deployment.parameters == {"raw_dir": str(served["raw"]), "clean_dir": str(served["clean"])}


def test_server_schedules_runs_of_the_scheduled_deployment(served):
    with _client(served["api_url"]) as client:
        deployment = client.read_deployment_by_name("clean_corpus/scheduled")
        # The scheduler looks at newly created deployments every 5 s.
        runs = _wait_until(lambda: _runs_of(client, deployment.id, "SCHEDULED"), 20, "scheduled runs")
    starts = {(run.expected_start_time.hour, run.expected_start_time.minute) for run in runs}
    assert starts == {(4, 30)}


@pytest.fixture(scope="module")
def deployed(served, manual_run):
    """`prefect deploy --all` from the repository onto a process work pool, on the same server.

    It replaces the served deployments of the same names, so it asks for the manual run first.
    """
    env = {**_env(served["home"], served["api_url"]), "PWD": str(REPO)}  # as a shell in REPO sets it
    pool = _prefect(["work-pool", "create", "jianggao-pool", "--type", "process"], env, timeout=60)
    assert pool.returncode == 0, pool.stdout + pool.stderr
    result = _prefect(["--no-prompt", "deploy", "--all"], env, timeout=90)
    with _client(served["api_url"]) as client:
        deployments = {name: _deployment(client, f"clean_corpus/{name}") for name in ("scheduled", "manual")}
    return result, deployments


def test_prefect_yaml_parses_into_two_deployments():
    import yaml

    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    by_name = {d["name"]: d for d in config["deployments"]}
    assert set(by_name) == {"scheduled", "manual"}
    for deployment in by_name.values():
        assert deployment["entrypoint"] == "flows/orchestration/clean_corpus.py:clean_corpus"
        assert deployment["work_pool"]["name"] == "jianggao-pool"
        assert deployment["parameters"] == {"raw_dir": "raw", "clean_dir": "clean"}
    assert by_name["scheduled"]["schedules"] == [{"cron": "0 2 * * *", "timezone": "UTC"}]
    assert "schedules" not in by_name["manual"]
    [step] = config["pull"]
    assert set(step) == {"prefect.deployments.steps.set_working_directory"}


def test_prefect_deploy_registers_both_deployments_on_the_pool(served, deployed):
    result, deployments = deployed
    assert result.returncode == 0, result.stdout + result.stderr
    for deployment in deployments.values():
        assert deployment.work_pool_name == "jianggao-pool"
        assert deployment.entrypoint == "flows/orchestration/clean_corpus.py:clean_corpus"
        assert deployment.parameters == {"raw_dir": "raw", "clean_dir": "clean"}
        assert deployment.pull_steps == [
            {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
        ]
    assert [s.schedule.cron for s in deployments["scheduled"].schedules] == ["0 2 * * *"]
    assert deployments["manual"].schedules == []
