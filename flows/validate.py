"""`jianggao validate`: check every record in a clean folder against the shipped JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from cleaners.records import load_schema, read_record_files


def find_problems(clean_dir: Path) -> Iterator[str]:
    """One line per problem: the record file, the field path and what is wrong."""
    validator = Draft202012Validator(load_schema())
    try:
        for path, record in read_record_files(clean_dir):
            name = path.relative_to(clean_dir).as_posix()
            for error in sorted(validator.iter_errors(record), key=lambda e: list(e.path)):
                field = "/".join(str(p) for p in error.path) or "(record)"
                yield f"{name}: {field}: {error.message}"
    except yaml.YAMLError as exc:
        yield f"unreadable YAML: {exc}"


def validate_folder(clean_dir: Path) -> int:
    """Print the problems found; exit status 0 when every record passes, 1 otherwise."""
    if not clean_dir.is_dir():
        print(f"jianggao: clean folder not found: {clean_dir}")
        return 2
    problems = list(find_problems(clean_dir))
    for line in problems:
        print(line)
    count = sum(1 for _ in read_record_files(clean_dir)) if not problems else None
    print(f"{len(problems)} problems" if problems else f"all {count} records valid")
    return 1 if problems else 0
