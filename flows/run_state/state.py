"""State a run keeps in the clean folder: the lock that keeps two runs apart.

Everything lives under `CLEAN_DIR/_jianggao/`, beside the records it describes.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from flows.run_state.files import STATE_DIR


class CleanFolderBusy(RuntimeError):
    """Another run holds the clean folder."""


_HELD: set[str] = set()  # lock files this process holds


class CleanFolderLock:
    """An exclusive, non-blocking lock on a clean folder for the length of a run.

    The operating system releases it when the process ends, however it ends, so a killed
    run never leaves a stale lock behind. The command takes it before anything slow starts,
    so a second run is refused at once; the flow inside takes it again, which within one
    process just passes.
    """

    def __init__(self, clean_dir: Path) -> None:
        self.path = clean_dir / STATE_DIR / "lock"
        self._fd: int | None = None

    def __enter__(self) -> CleanFolderLock:
        if str(self.path.resolve()) in _HELD:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CleanFolderBusy(
                f"another jianggao run is using {self.path.parent.parent}; wait for it to finish"
            ) from None
        self._fd = fd
        _HELD.add(str(self.path.resolve()))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _HELD.discard(str(self.path.resolve()))
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
