"""`jianggao export`: records as JSON Lines, one line per speech, section or paragraph.

Every line carries the speech's metadata and its position, ready for search indexes and
training pipelines.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from flows.record_tools.record_files import read_folder
from flows.run_state.clusters import read_memberships

UNITS = ("speech", "section", "paragraph")
META_KEYS = ("id", "title", "date", "occasion", "genre", "speaker", "keywords", "truncated")


def _meta(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in META_KEYS} | {"source": record["source"]["path"]}


def _with_paths(sections: list[dict[str, Any]]) -> Iterator[tuple[list[str], dict[str, Any]]]:
    """Each section with its heading path: the headings above it, from level 1 down."""
    stack: list[tuple[int, str]] = []
    for section in sections:
        level, heading = section["level"], section["heading"]
        stack = [(lv, h) for lv, h in stack if lv < level]
        if heading:
            stack.append((level, heading))
        yield [h for _, h in stack], section


def export_units(record: dict[str, Any], unit: str) -> Iterator[dict[str, Any]]:
    """The export rows of one record for `unit` (speech, section or paragraph)."""
    meta = _meta(record)
    if unit == "speech":
        text = "\n".join(
            part
            for s in record["sections"]
            for part in ([s["heading"]] if s["heading"] else []) + s["paragraphs"]
        )
        yield meta | {"text": text}
        return
    for section_index, (path, section) in enumerate(_with_paths(record["sections"])):
        position = {"section_index": section_index, "section_path": path, "level": section["level"]}
        if unit == "section":
            yield meta | position | {"heading": section["heading"], "text": "\n".join(section["paragraphs"])}
            continue
        for paragraph_index, text in enumerate(section["paragraphs"]):
            yield meta | position | {"paragraph_index": paragraph_index, "text": text}


@dataclass
class Exported:
    """What an export wrote, and how many files it left out as broken records."""

    rows: int = 0
    bad_files: int = 0


def export_records(
    clean_dir: Path, unit: str, out: TextIO, warn: Callable[[str], None], canonical_only: bool = False
) -> Exported:
    """Write every valid record's rows to `out`; each file left out is named through `warn`.

    Speech rows carry the record's `cluster` and `canonical` (from the manifest, null when the
    folder has none); `canonical_only` keeps one record per cluster, its canonical copy.
    """
    done = Exported()
    members = read_memberships(clean_dir)
    for found in read_folder(clean_dir):
        for line in found.problems:
            warn(line)
        if found.not_a_record:
            warn(f"{found.name}: not a record, skipped")
        done.bad_files += bool(found.problems)
        member = members.get(found.path.relative_to(clean_dir).as_posix(), {})
        if canonical_only and member and not member["canonical"]:
            continue
        cluster = {"cluster": member.get("cluster"), "canonical": member.get("canonical")}
        for record in found.records:
            for row in export_units(record, unit):
                row = row | cluster if unit == "speech" else row
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                done.rows += 1
    return done


def export_folder(clean_dir: Path, unit: str, out: TextIO, canonical_only: bool = False) -> int:
    """Write every valid record's rows to `out` (problems to standard error); returns the rows."""

    def warn(line: str) -> None:
        print(line, file=sys.stderr)

    return export_records(clean_dir, unit, out, warn, canonical_only).rows
