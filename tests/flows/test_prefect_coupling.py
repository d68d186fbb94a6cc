"""Where jianggao leans on Prefect's private details, compare them with the installed Prefect.

flows/startup/embedded.py starts Prefect's temporary API server itself, with the command Prefect's own
`SubprocessASGIServer` runs, so that the server's start overlaps jianggao's. That command is not
public API: these tests fail loudly when an upgrade of Prefect changes it, instead of a run
starting a server Prefect would no longer start.
"""


import pytest

from flows.startup import embedded

PORT = 18765


class Captured(Exception):
    """Raised by the fake Popen to stop after capturing the command."""


def capture_popen(monkeypatch, module) -> dict:
    seen: dict = {}

    def fake_popen(args, env=None, **kwargs):
        seen["args"], seen["env"] = list(args), dict(env or {})
        raise Captured

    monkeypatch.setattr(module.subprocess, "Popen", fake_popen)
    return seen


def test_embedded_server_runs_prefects_own_server_command(monkeypatch):
    from prefect.server.api import server as prefect_server

    theirs = capture_popen(monkeypatch, prefect_server)
    with pytest.raises(Captured):
        prefect_server.SubprocessASGIServer(port=PORT)._run_uvicorn_command()
    ours = capture_popen(monkeypatch, embedded)
    monkeypatch.setattr(embedded, "_free_port", lambda: PORT)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with pytest.raises(Captured):
        embedded.EmbeddedServer().start()

    assert ours["args"][1:] == theirs["args"][1:]
    server_flags = ("PREFECT_UI_ENABLED", "PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL")
    assert {k: ours["env"].get(k) for k in server_flags} == {k: theirs["env"].get(k) for k in server_flags}


def test_engine_modules_warmed_up_still_exist():
    import importlib.util

    missing = [name for name in embedded.ENGINE_IMPORTS if importlib.util.find_spec(name) is None]
    assert not missing, f"Prefect no longer has {missing}: update ENGINE_IMPORTS in flows/startup/embedded.py"


def test_heartbeat_setting_still_exists():
    from prefect.settings import get_current_settings

    with embedded.without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
