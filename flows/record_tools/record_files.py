"""Read a clean folder's record files one by one, for `validate`, `export` and `review`.

A clean folder is also a place people edit by hand and leave notes in. Each `.yaml` file is
read on its own: one that is not UTF-8, not YAML, not a record or not a valid record is named
with its problem and the tools go on with the others. Dates stay text as written (`date:
2024-03-12` unquoted is the date a record means; `2024-13-45` is a schema problem, not a crash).
Run state (`_jianggao/`) and hidden temp files are never read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from cleaners.names import escape_name
from cleaners.records import load_schema
from flows.run_state.files import STATE_DIR

RECORD_KEYS = frozenset({"schema_version", "sections"})  # a mapping with neither is not a record


class _TextDatesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, with dates (and would-be dates) read as the text they are."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class RecordFile:
    """One `.yaml` file: its valid records, what is wrong with it, or why it is not a record file."""

    path: Path
    name: str
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "name: field: message"
    not_a_record: str = ""


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema())


def _is_calendar_date(value: str | None) -> bool:
    """None, or a YYYY-MM-DD the calendar has (the schema checks the shape only)."""
    if value is None:
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def record_paths(clean_dir: Path) -> Iterator[Path]:
    """Every `.yaml` file under `clean_dir` in path order, run state and hidden files left out."""
    for path in sorted(clean_dir.rglob("*.yaml")):
        parts = path.relative_to(clean_dir).parts
        if parts[0] != STATE_DIR and not any(part.startswith(".") for part in parts):
            yield path


Check = Callable[[dict[str, Any]], list[str]]  # a record → what is wrong with it ("field: message")


def schema_problems(record: dict[str, Any]) -> list[str]:
    """What the record's JSON Schema finds wrong, and a date no calendar has."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.path))
    found = [f"{'/'.join(str(p) for p in e.path) or '(record)'}: {e.message}" for e in errors]
    if not found and not _is_calendar_date(record["date"]):
        found.append(f"date: {record['date']!r} is not a calendar date")
    return found


def read_file(path: Path, clean_dir: Path, check: Check = schema_problems) -> RecordFile:
    """Read and check one file; never raises for what the file holds."""
    found = RecordFile(path, escape_name(path.relative_to(clean_dir).as_posix()))
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        found.problems.append(f"{found.name}: cannot be read: {exc.strerror or exc}")
        return found
    except UnicodeDecodeError as exc:
        found.problems.append(
            f"{found.name}: not UTF-8 text (byte {exc.object[exc.start]:#04x} at {exc.start})"
        )
        return found
    try:
        documents = [doc for doc in yaml.load_all(text, Loader=_TextDatesLoader) if doc is not None]
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}: " if where else ""
        found.problems.append(f"{found.name}: unreadable YAML: {line}{getattr(exc, 'problem', None) or exc}")
        return found
    candidates = [doc for doc in documents if isinstance(doc, dict) and RECORD_KEYS & doc.keys()]
    if not candidates:
        found.not_a_record = "no schema_version or sections"
        return found
    for record in candidates:
        problems = check(record)
        found.problems += [f"{found.name}: {problem}" for problem in problems]
        if not problems:
            found.records.append(record)
    return found


def read_folder(clean_dir: Path, check: Check = schema_problems) -> Iterator[RecordFile]:
    """Every `.yaml` file of a clean folder, read and checked on its own."""
    for path in record_paths(clean_dir):
        yield read_file(path, clean_dir, check)


def valid_records(
    clean_dir: Path, warn: Callable[[str], None], check: Check = schema_problems
) -> tuple[list[tuple[Path, dict[str, Any]]], int]:
    """The valid records of a clean folder with their files, and how many files had problems.

    Each problem and each file that is not a record is passed to `warn` as one line.
    """
    records, bad = [], 0
    for found in read_folder(clean_dir, check):
        for problem in found.problems:
            warn(problem)
        bad += bool(found.problems)
        if found.not_a_record:
            warn(f"{found.name}: not a record ({found.not_a_record}), skipped")
        records += [(found.path, record) for record in found.records]
    return records, bad
