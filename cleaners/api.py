"""Clean one document from Python: the pipeline a run uses, without Prefect, folders or state.

    >>> from cleaners import clean_document
    >>> clean_document(b"", "empty.txt").refusal.reason
    'empty'

The records are the mappings a run writes as YAML (`schema_version` says which schema), so
code written against the YAML reads these too. Site learning needs a corpus, so a single
document is cleaned with what its own lines show; `jianggao run` adds what recurs across a site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaners.document import Refusal
from cleaners.pipeline import clean_input
from cleaners.settings import Settings


@dataclass(frozen=True)
class DocumentResult:
    """What cleaning one document gave: its speech records, or the reason it was refused."""

    records: tuple[dict[str, Any], ...]
    refusal: Refusal | None


def clean_document(data: bytes, name: str, settings: Settings | None = None) -> DocumentResult:
    """Clean one input's bytes; `name` is its path as a run would record it (`source.path`)."""
    cleaned = clean_input(data, name, settings or Settings())
    return DocumentResult(cleaned.records, cleaned.refusal)


def clean_path(path: str | Path, settings: Settings | None = None) -> DocumentResult:
    """Clean one file; its name (not its folders) becomes `source.path`."""
    path = Path(path)
    return clean_document(path.read_bytes(), path.name, settings)
