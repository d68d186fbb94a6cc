"""Start Prefect's temporary API server first, so its start-up overlaps ours.

Without an API URL, Prefect starts a temporary server itself, but only when the flow is first
called: after the command has imported Prefect and the cleaning stages, and before any work
can begin (about 7 s on a small machine, one after the other). `jianggao run` instead starts
the same server (the command Prefect's own `SubprocessASGIServer` runs) as its first act, points
Prefect at it with PREFECT_API_URL, and warms up while it boots. When the user has configured
a server of their own (`flows.startup.prefect_config`), that server is used and nothing is
started.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

# What Prefect 3.8's engine imports on a process's first flow run (found with -X importtime,
# about half a second): importing it while the server boots takes it off the critical path.
ENGINE_IMPORTS = ("fastapi", "graphviz", "prefect.concurrency.context", "prefect.telemetry.run_telemetry")


def import_engine_modules() -> None:
    """Import what the first flow run would otherwise stop to import (missing ones are skipped)."""
    for name in ENGINE_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


@contextlib.contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs inside send no heartbeats.

    Heartbeats let a server notice a run that crashed; the temporary server ends with the
    command, so nobody is left to notice. And the end of every flow run waits for Prefect's
    heartbeat thread, which sleeps in one-second steps: half a second on average.
    """
    from prefect.settings import temporary_settings

    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        yield


def _die_with_parent() -> None:
    """In the child, before it runs: ask Linux to send SIGTERM when its parent dies."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def server_answers(url: str, timeout: float = 3.0) -> bool:
    """True when a Prefect API at `url` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedServer:
    """A temporary Prefect API server on loopback for the length of one command.

    `quiet`, the server's output goes to an unnamed temp file instead of the terminal: what it
    prints when the command stops it (a database pool closing under a request, say) is no news
    to the user, and what it printed before failing to start is quoted in the error.
    """

    def __init__(self, quiet: bool = True) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.output = tempfile.TemporaryFile() if quiet else None  # noqa: SIM115 (closed by stop)

    def start(self) -> None:
        """Launch the server and point this process's Prefect client at it; returns at once."""
        port = _free_port()
        prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent
        env = os.environ | {
            "PREFECT_UI_ENABLED": "0",
            "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT__SERVER_FINAL": "1",
        }
        args = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory"]
        args += ["prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port)]
        args += ["--log-level", "error", "--lifespan", "on"]
        # Its own session: Ctrl-C in the terminal reaches only jianggao, which stops the run
        # with the server still there to record it, then stops the server. And it dies with
        # jianggao, however jianggao ends.
        self.process = subprocess.Popen(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.output,
            stderr=subprocess.STDOUT if self.output else None,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.url = f"http://127.0.0.1:{port}/api"
        os.environ["PREFECT_API_URL"] = self.url

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Block until the server answers its health check, then set it warming up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the embedded Prefect server exited while starting{self._last_words()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=1) as response:
                    if response.status == 200:
                        threading.Thread(target=self._warm_up, daemon=True).start()
                        return
            except OSError:
                time.sleep(0.1)
        late = f"the embedded Prefect server did not start within {timeout:.0f} s"
        raise RuntimeError(late + self._last_words())

    def _last_words(self, lines: int = 3) -> str:
        """The end of the server's captured output, as a clause to append to an error ('' if none)."""
        if self.output is None:
            return ""
        self.output.seek(0)
        text = self.output.read().decode("utf-8", "replace")
        said = [line.strip() for line in text.splitlines() if any(c.isalnum() for c in line)][-lines:]
        return f"; it said: {' / '.join(said)}" if said else ""

    def _warm_up(self) -> None:
        """Send the server its first API request now. FastAPI builds the API's routes on the first
        request that needs them (0.6-0.9 s of the server's CPU here); asked now, the build overlaps
        the client's own start instead of holding up the flow run's first call."""
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/admin/version", timeout=30):
            pass

    def stop(self) -> None:
        """Stop the server (a few seconds at most) and forget its URL."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self.output is not None:
            self.output.close()
            self.output = None
        if os.environ.get("PREFECT_API_URL") == self.url:
            del os.environ["PREFECT_API_URL"]
