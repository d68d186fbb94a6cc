"""What every format reader gives back, and the line builder they share.

Reason codes of the readers' removals (stage `read`):
  page_furniture    running headers and footers, page numbers, watermarks
  footnote          footnote and endnote text (the body keeps no reference mark)
  comment           reviewers' comments
  deleted_revision  text deleted with track changes on
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaners.chars import collapse_whitespace
from cleaners.document import Decoded, Extracted, Line, Removal

STAGE = "read"


@dataclass(frozen=True)
class Read:
    """A document read: its text lines and removals, and how its text was decoded."""

    decoded: Decoded
    extracted: Extracted


@dataclass
class LineBuilder:
    """Numbers lines and removals in reading order as a reader meets them."""

    lines: list[Line] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    count: int = 0

    def add(self, text: str, tag: str = "p") -> None:
        """A body line (whitespace collapsed; nothing added for blank text)."""
        text = collapse_whitespace(text)
        if text:
            self.lines.append(Line(text, self.count, tag))
            self.count += 1

    def drop(self, text: str, reason: str) -> None:
        """A removal placed after the lines read so far."""
        text = collapse_whitespace(text)
        if text:
            self.removed.append(Removal(self.count, text, reason, STAGE))

    def extracted(self, page_title: str | None = None) -> Extracted:
        return Extracted(tuple(self.lines), page_title=page_title, removed=tuple(self.removed))


def document_text(encoding: str, confidence: float = 1.0) -> Decoded:
    """The `Decoded` of a document: its text came from the format's own reader."""
    return Decoded("", encoding, confidence, "document")
