"""The run's files in a clean folder: records and state written atomically, read back, cleaned up.

The cleaning stages never touch the disk; this module is where a run writes. A file is staged
as a hidden temp file and renamed into place, so a crash never leaves half a record, and temp
files a killed run left are removed before the next one reads the folder.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from cleaners.records import load_records

STATE_DIR = "_jianggao"  # run state (manifest, report, lock) inside a clean folder

_TEMP_NUMBERS = itertools.count()  # with the process id, names this process's temp files apart


def read_record_files(clean_dir: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every record under `clean_dir` with its file, in path order (run state is skipped)."""
    for path in sorted(clean_dir.rglob("*.yaml")):
        if path.relative_to(clean_dir).parts[0] == STATE_DIR:
            continue
        for record in load_records(path.read_text(encoding="utf-8")):
            yield path, record


def remove_stale_temp_files(clean_dir: Path) -> int:
    """Delete temp files a killed run left behind (readers never take them for records)."""
    stale = list(clean_dir.rglob(".*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write `text` (or bytes) to `path` so readers see the old file or the new one, never a part."""
    publish_staged([(stage_file(path, text, sync=True), path)], sync=False)


def stage_file(path: str | Path, text: str | bytes, sync: bool = False) -> str:
    """Write `text` (UTF-8) or bytes to a hidden temp file beside `path` and return its name;
    `path` is not touched.

    A staged file becomes visible only through `publish_staged`; until then readers skip it
    and `remove_stale_temp_files` deletes it if the run dies. With `sync`, its bytes are on
    disk when this returns. Names are plain strings: a batch's staged names travel back from
    the worker processes, and unpickling a `Path` costs a hundred times a string's.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder, name = os.path.split(path)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}-{next(_TEMP_NUMBERS)}.tmp")
        try:  # O_EXCL: never write into a file that is already there; 0o666 less the umask
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:  # left by a dead process that had our pid; take the next name
            continue
        except FileNotFoundError:  # the folder's first record: make the folder (a system call
            os.makedirs(folder, exist_ok=True)  # saved on every other record)
    try:
        write_all(fd, data)
        if sync:
            os.fsync(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)
    return tmp


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to a file descriptor (a write may take only part of it).

    Plain system calls: a Python file object around the descriptor adds three more (fstat,
    ioctl, lseek) for the few kilobytes of a record, about 8 us of a worker's time per record.
    """
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def publish_staged(staged: Sequence[tuple[str, str | Path]], sync: bool = True) -> None:
    """Rename staged files over their targets, after one `os.sync` has put them all on disk.

    One sync for a batch instead of an fsync per record: an fsync costs milliseconds, more than
    cleaning a short speech, and on Linux `sync` waits for the writes just the same.
    """
    if sync and staged:
        os.sync()
    for tmp, path in staged:
        os.replace(tmp, path)


def record_file(rel_path: str, index: int) -> str:
    """The record file of speech `index` (from 1) of input `rel_path`, relative to the clean folder.

    >>> record_file("a/b.txt", 2)
    'a/b.txt.2.yaml'
    """
    if rel_path.startswith("/") or ".." in rel_path.split("/"):  # as PurePosixPath's parts, 10x faster
        raise ValueError(f"input path must stay inside the raw folder: {rel_path!r}")
    return f"{rel_path}.{index}.yaml"
