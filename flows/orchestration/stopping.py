"""Stop a run early and cleanly: on Ctrl-C, SIGTERM, or a clean folder that cannot be written.

A stop is a request, not an exception: the signal handler (or a batch that hit a full disk) only
sets `STOP`, the flow notices it between batches, lets the inputs being cleaned finish (a chunk
of eight at most per worker), saves what was finished in the manifest and returns. The rerun
then cleans only the rest. Before and after the flow there is nothing to save, and a signal
there raises `KeyboardInterrupt`, which the command turns into one line; once the flow has
saved its work, a signal is ignored (the command ends within a moment anyway).

Prefect swaps in its own SIGTERM handler while a flow runs (it raises out of the flow and loses
the run's work); `take_signals` puts ours back from inside the flow when the command armed it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import threading
from pathlib import Path

# Errors writing the clean folder that a retry cannot fix: full disk, quota, read-only, no access.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})

STOP = threading.Event()
_state = {"why": "", "armed": False, "graceful": False, "saved": False}
_HANDLED = (signal.SIGINT, signal.SIGTERM)
EXIT_SIGNAL = {"SIGINT": 130, "SIGTERM": 143}  # the command's exit status after each signal


def request_stop(why: str) -> None:
    """Ask the run to stop after the inputs being cleaned now; the first reason given is kept."""
    if not STOP.is_set():
        _state["why"] = why
        STOP.set()


def stop_requested() -> bool:
    """True once a stop was asked for. (The flow asks this function rather than `STOP` itself:
    Dask ships the flow's function by value with the globals it names, and an Event cannot travel.)"""
    return STOP.is_set()


def stop_reason() -> str:
    """Why the run was asked to stop: `SIGINT`, `SIGTERM`, `disk: …`; empty when it was not."""
    return _state["why"] if STOP.is_set() else ""


def is_write_error(exc: BaseException) -> bool:
    """True for an OSError writing files that retrying will not cure (ENOSPC, EROFS, EACCES…)."""
    return isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS


def _handler(signum: int, frame: object) -> None:
    name = signal.Signals(signum).name
    if not _state["graceful"]:
        _end_before_work(name)
        raise KeyboardInterrupt(name)  # where processes cannot be listed (no /proc)
    if _state["saved"]:  # the run's work is saved and it is ending: nothing to stop
        return
    if not STOP.is_set():
        request_stop(name)
        print(
            f"\njianggao: {name}: stopping after the inputs being cleaned now "
            "(a few seconds); finished inputs are kept",
            file=sys.stderr,
            flush=True,
        )


def _end_before_work(name: str) -> None:
    """Before the flow runs there is nothing to save: end every process the command started and
    exit now.

    Raising KeyboardInterrupt instead unwinds from wherever the main thread is; in the middle of
    an import that can leave the import system's module locks taken (seen: the exception lost in
    `_get_module_lock`'s callback, and the command hanging). The workers ignore Ctrl-C and the
    temporary server runs in a session of its own, so they are ended here by name of process.
    """
    children = _descendants(os.getpid())
    if children is None:
        return
    say_ended_before_work(name)
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(EXIT_SIGNAL.get(name, 130))


def say_ended_before_work(name: str) -> None:
    """The one line a run stopped before cleaning began prints."""
    print(f"\njianggao: {name} before cleaning began; nothing was changed", file=sys.stderr, flush=True)


def _descendants(pid: int) -> list[int] | None:
    """Every process below `pid`, children first; None where /proc cannot tell."""
    parents: dict[int, int] = {}
    try:
        entries = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return None
    for entry in entries:
        with contextlib.suppress(OSError, IndexError, ValueError):
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent and child not in found]
        found += children
        frontier += children
    return found


def arm() -> None:
    """Handle SIGINT and SIGTERM in this (main) thread: raise KeyboardInterrupt until a flow runs."""
    STOP.clear()
    _state.update(why="", armed=True, graceful=False, saved=False)
    for signum in _HANDLED:
        signal.signal(signum, _handler)


def take_signals() -> None:
    """From inside the flow (main thread): signals now ask for a graceful stop, once armed.

    Unarmed (a flow called from Python), a stop left over from an earlier flow is forgotten.
    """
    if not _state["armed"]:
        STOP.clear()
    elif threading.current_thread() is threading.main_thread():
        for signum in _HANDLED:
            signal.signal(signum, _handler)
        _state["graceful"] = True


def work_saved() -> None:
    """The flow's work is saved and the command is ending: a signal now changes nothing."""
    _state["saved"] = True
