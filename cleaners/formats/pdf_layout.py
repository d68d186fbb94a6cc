"""Printed PDF lines → paragraphs, with the page furniture taken out.

Furniture (`page_furniture`): page numbers (`第 1 页 共 5 页`, `- 3 -`, `3/5`) among a page's
first or last lines; a running header or footer, i.e. a first or last line whose text (digits
aside) recurs on other pages; rotated text and a line repeated on most pages of a longer PDF
(watermarks).

Paragraphs are rebuilt from the geometry of the rest, the body's font size, left edge and right
edge being the most common ones. A line opens a paragraph when it is indented (the two-character
first-line indent of Chinese paragraphs, or leading ideographic spaces), when its font size
changes, after a gap wider than the usual line pitch, or after a line that stops short of the
right edge. A paragraph goes on across a page break when the page's last line ran full and the
next page's first is not indented. Lines in a larger font than the body are headings, tagged
`heading1`… by size, largest first; the first block, when it is in the largest font of the
first page (a title set over two lines is one block), is the title (`h1`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.document import Extracted, Line, Removal
from cleaners.formats.base import STAGE
from cleaners.reflow import join_pieces

PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|[-－—–·•\s]*\d{1,4}[-－—–·•\s]*|\d{1,4}\s*/\s*\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?"
    r"|[-－—–]?\s*[〇一二三四五六七八九十百]+\s*[-－—–]?)$",
    re.I,
)
DIGITS = re.compile(r"\d+")
EDGE_LINES = 2  # how many lines at the top and the bottom of a page may be furniture
RUNNING_SHARE = 0.4  # a header or footer recurs on this share of the pages
WATERMARK_SHARE = 0.6  # a line anywhere on this share of the pages (3 or more) is a watermark
WATERMARK_MAX_CHARS = 40
HEADING_RATIO = 1.15  # a font this much larger than the body's is a heading
INDENT_CHARS = 1.5  # a left edge this many characters in from the body's is an indent
SHORT_CHARS = 1.5  # a line ending this many characters short of the right edge ends its paragraph
GAP_RATIO = 1.6  # a gap this much wider than the usual pitch separates paragraphs


@dataclass(frozen=True, slots=True)
class PrintedLine:
    """One printed line of a PDF page and where it sits (PDF units, origin bottom left)."""

    text: str
    page: int
    left: float
    right: float
    baseline: float
    top: float
    size: float
    width: float
    height: float
    rotated: bool = False
    indent: float = 0.0


@dataclass(frozen=True)
class Body:
    """The common measures of the body text."""

    size: float
    left: float
    right: float
    pitch: float


def build_lines(printed: Sequence[PrintedLine], pages: int) -> Extracted:
    """Paragraph lines of a PDF, and its furniture as removals."""
    furniture = find_furniture(printed, pages)
    removed = [Removal(k, printed[k].text, "page_furniture", STAGE) for k in sorted(furniture)]
    kept = [(k, line) for k, line in enumerate(printed) if k not in furniture]
    return Extracted(tuple(build_paragraphs(kept)), removed=tuple(removed))


def find_furniture(printed: Sequence[PrintedLine], pages: int) -> set[int]:
    """Positions of the page-furniture lines."""
    body = measure_body(printed) if printed else Body(12.0, 0.0, 0.0, 18.0)
    edges = find_edges(printed, body)
    edge_pages: dict[str, set[int]] = {}
    anywhere: dict[str, set[int]] = {}
    keys = [DIGITS.sub("#", line.text.replace(" ", "")) for line in printed]
    for k, line in enumerate(printed):
        anywhere.setdefault(keys[k], set()).add(line.page)
        if k in edges:
            edge_pages.setdefault(keys[k], set()).add(line.page)
    furniture = set()
    for k, line in enumerate(printed):
        running = k in edges and (
            PAGE_NUMBER.match(line.text) is not None
            or (pages >= 2 and len(edge_pages[keys[k]]) >= max(2, RUNNING_SHARE * pages))
        )
        watermark = (
            pages >= 3
            and abs(line.size - body.size) >= 0.5
            and len(line.text) <= WATERMARK_MAX_CHARS
            and len(anywhere[keys[k]]) >= max(3, WATERMARK_SHARE * pages)
        )
        if line.rotated or running or watermark:
            furniture.add(k)
    return furniture


def find_edges(printed: Sequence[PrintedLine], body: Body) -> set[int]:
    """The top and bottom `EDGE_LINES` lines of each page (in its upper and lower half) that
    stand apart from the text next to them (a wider gap than the body's pitch, or another font
    size): where headers, footers and page numbers sit."""
    by_page: dict[int, list[int]] = {}
    for k, line in enumerate(printed):
        by_page.setdefault(line.page, []).append(k)
    edges = set()
    apart = GAP_RATIO * body.pitch
    for ks in by_page.values():
        ks.sort(key=lambda k: -printed[k].baseline)  # top to bottom, whatever order it was drawn in
        for at, k in enumerate(ks):
            line = printed[k]
            other_size = abs(line.size - body.size) >= 0.5
            upper = line.baseline > line.height / 2
            if at < EDGE_LINES and upper and at + 2 < len(ks):  # a header has a body and a foot below
                below = printed[ks[at + 1]].baseline if at + 1 < len(ks) else float("-inf")
                if other_size or line.baseline - below > apart:
                    edges.add(k)
            if at >= len(ks) - EDGE_LINES and not upper:
                above = printed[ks[at - 1]].baseline if at > 0 else float("inf")
                if other_size or above - line.baseline > apart:
                    edges.add(k)
    return edges


def measure_body(lines: Sequence[PrintedLine]) -> Body:
    """The most common font size, left edge and right edge (by characters), and line pitch."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    size = sizes.most_common(1)[0][0] if sizes else 12.0
    body = [line for line in lines if abs(line.size - size) < 0.5] or list(lines)
    lefts = Counter(round(line.left) for line in body)
    left = float(lefts.most_common(1)[0][0])
    rights = sorted(line.right for line in body)
    right = rights[int(0.9 * (len(rights) - 1))]
    pitches = Counter(
        round(a.baseline - b.baseline, 1)
        for a, b in zip(body, body[1:], strict=False)
        if a.page == b.page and 0 < a.baseline - b.baseline < 3 * size
    )
    pitch = pitches.most_common(1)[0][0] if pitches else 1.5 * size
    return Body(size, left, right, pitch)


def build_paragraphs(numbered: Sequence[tuple[int, PrintedLine]]) -> list[Line]:
    """Join printed lines (with their positions) into paragraph `Line`s, each numbered by its
    first line's position: tag `p`, headings `h3`, the title `h1`."""
    if not numbered:
        return []
    lines = [line for _, line in numbered]
    body = measure_body(lines)
    title_size = max((line.size for line in lines if line.page == lines[0].page), default=body.size)
    has_title = title_size >= HEADING_RATIO * body.size
    blocks: list[tuple[int, list[PrintedLine]]] = []
    for k, line in numbered:
        if blocks and not opens_paragraph(blocks[-1][1][-1], line, body):
            blocks[-1][1].append(line)
        else:
            blocks.append((k, [line]))
    title = has_title and blocks[0][1][0].size == title_size
    rest = blocks[1:] if title else blocks
    heading_sizes = sorted({b[0].size for _, b in rest if is_large(b[0], body)}, reverse=True)
    tags = {size: f"heading{min(rank, 4)}" for rank, size in enumerate(heading_sizes, start=1)}
    out = [Line(join_pieces([x.text for x in block]), k, tags.get(block[0].size, "p")) for k, block in blocks]
    if title:
        out[0] = Line(out[0].text, out[0].index, "h1")
    return out


def is_large(line: PrintedLine, body: Body) -> bool:
    return line.size >= HEADING_RATIO * body.size


def opens_paragraph(previous: PrintedLine, line: PrintedLine, body: Body) -> bool:
    """Whether `line` starts a new paragraph after `previous`."""
    char = body.size
    if abs(line.size - previous.size) >= 0.5:
        return True
    if is_large(line, body):  # a heading or title set over two lines, centred or not
        return line.page != previous.page or previous.baseline - line.baseline > GAP_RATIO * line.size
    if line.indent >= 1 or line.left >= body.left + INDENT_CHARS * char:
        return True
    if previous.right < body.right - SHORT_CHARS * char:
        return True
    if line.page == previous.page:
        return previous.baseline - line.baseline > GAP_RATIO * max(body.pitch, line.size)
    return False
