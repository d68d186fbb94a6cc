"""`jianggao validate`: check every record in a clean folder against the shipped JSON Schema.

Each file is checked on its own (`flows.record_tools.record_files`): a file that is not UTF-8, not YAML or
not a valid record is named with its problem, and the check goes on with the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flows.record_tools.record_files import read_folder
from flows.words import plural


def find_problems(clean_dir: Path) -> Iterator[str]:
    """One line per problem: the record file, the field path and what is wrong."""
    for found in read_folder(clean_dir):
        yield from found.problems


def validate_folder(clean_dir: Path) -> int:
    """Print the problems found; exit status 0 when every record passes, 1 otherwise."""
    if not clean_dir.is_dir():
        print(f"jianggao: clean folder not found: {clean_dir}")
        return 2
    valid = problems = bad_files = 0
    skipped = []
    for found in read_folder(clean_dir):
        for line in found.problems:
            print(line)
        valid += len(found.records)
        problems += len(found.problems)
        bad_files += bool(found.problems)
        if found.not_a_record:
            skipped.append(found.name)
    for name in skipped:
        print(f"{name}: not a record, skipped")
    records = plural(valid, "record")
    if problems:
        print(f"{plural(problems, 'problem')} in {plural(bad_files, 'file')}; {records} valid")
        return 1
    print(
        f"all {records} valid" + (f", {plural(len(skipped), 'other YAML file')} skipped" if skipped else "")
    )
    return 0
