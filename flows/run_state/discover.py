"""Find a run's inputs: every regular file under the raw folder, and the folders it could not read.

The clean folder is never an input, wherever it is: with `jianggao run raw raw/clean` the
run's own records, lock and manifest would otherwise be read back, more every run. A folder
the run may not list is not skipped in silence: it is named, so the summary and the report
can say so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Discovered:
    """Inputs as sorted POSIX paths relative to the raw folder, and folders that could not be read."""

    inputs: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)  # folder (relative) → OS message


def discover(raw_dir: Path, exclude: Path | None = None) -> Discovered:
    """Every regular file under `raw_dir`, recursively, leaving out the folder `exclude`.

    Hidden files and folders (editor and VCS droppings) are skipped; links are not followed.
    """
    raw_dir = Path(raw_dir)
    skip = os.path.realpath(exclude) if exclude is not None else None
    found = Discovered()

    def unreadable(error: OSError) -> None:
        where = os.path.relpath(error.filename, raw_dir) if error.filename else "."
        found.unreadable[Path(where).as_posix()] = error.strerror or str(error)

    for dirpath, dirnames, filenames in os.walk(raw_dir, onerror=unreadable):
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if skip is not None and os.path.realpath(os.path.join(dirpath, name)) == skip:
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = Path(dirpath, name)
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                found.inputs.append(path.relative_to(raw_dir).as_posix())
    found.inputs.sort()
    return found
