"""Paragraphs rebuilt from hard-wrapped text: PDF line ends and fixed-width plain text.

Text copied out of a PDF arrives wrapped at the page width, either one line per printed line or
as ONE line whose single spaces were the printed line ends. `reflow_lines` joins such pieces back
into one `Line` per paragraph or heading, and leaves everything else alone.

Wrapping is only assumed when the piece lengths show it (`find_wrap_width`): many pieces of about
the same width, almost none longer, few of them ending a sentence. Normal text, one paragraph per
line, only gets trimmed. Inside wrapped text a piece ends its block when

- a blank line or an indented piece follows;
- it is short of the wrap width and ends a sentence (。！？；：), or is much shorter (a title);
- it ends a sentence and the next piece opens with a heading marker (一、 （一） 1. 一是 第一，);
- it is a heading (a marker and no sentence end yet): a wrapped heading takes only a short tail.

Wrapped CJK pieces join with nothing between them; Latin words keep one space. HTML blocks
(`tag` set) are never joined with each other. Titles are the structure stage's business.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cleaners.chars import SENTENCE_END
from cleaners.document import Line

HEADING_MARKER = re.compile(
    r"[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|[（(]\d{1,2}[）)]|[①-⑳]"
    r"|[一二三四五六七八九十]{1,2}[是要]|第[一二三四五六七八九十]{1,3}(?:[，,、：:]|部分)"
)
CLOSED = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
SPACES = " \u3000\u00a0"
# Spaces that were line ends: every run except one between two Latin (ASCII) characters. The
# first branch checks the character before the run, the second the one after it; both open with
# one space (not `(?<!…)` or `[…]+`), which lets the regex engine skip from space to space.
LINE_END_SPACE = re.compile(
    rf"[{SPACES}](?<![{SPACES}\x21-\x7e][{SPACES}])[{SPACES}]*|[{SPACES}][{SPACES}]*(?![{SPACES}\x21-\x7e])"
)
NEWLINE = re.compile(r"\r\n|\r|\n")
# ASCII controls: what is left of a text's ASCII without them is its narrow characters.
UNPRINTED_ASCII = bytes(range(0x20)) + b"\x7f"
LATIN_END = re.compile(r"[A-Za-z0-9][\x21-\x2f\x3a-\x40]*$")

MIN_PIECES = 4        # fewer pieces cannot show a wrap
MIN_FULL = 3          # pieces at the wrap width needed
MIN_WIDTH = 15        # narrower "wraps" are lists or verse, not a page
FULL_SHARE = 0.5      # of the pieces at the wrap width
OVER_SHARE = 0.1      # of the pieces clearly wider than it
CLOSED_SHARE = 1 / 3  # of the full pieces that end a sentence (normal lines mostly do)
TITLE_SHARE = 0.75    # a piece narrower than this share of the width ends its block


@dataclass(slots=True)
class Piece:
    """One printed line (or space-separated segment) of a block, trimmed.

    `width` counts the indent and CJK characters as 1, ASCII as 1/2; `line` is the line it was
    cut from; `indented` marks a piece that opened with spaces, i.e. a new paragraph. Not frozen,
    though never changed: one is built per printed line, and a frozen dataclass takes about four
    times as long to build.
    """

    text: str
    width: float
    line: Line
    indented: bool = False


@dataclass(frozen=True)
class Wrap:
    """The width a group of pieces was wrapped at, and the least width that counts as full."""

    width: float
    full: float


def reflow_lines(lines: Sequence[Line]) -> tuple[Line, ...]:
    """One trimmed `Line` per paragraph or heading, wrapped pieces joined; no empty lines.

    Untagged lines form one run that may wrap; an HTML block is a run of its own; a line that is
    wrapped with spaces is joined from its own segments.
    """
    out: list[Line] = []
    run: list[tuple[str, Line]] = []  # (printed line, the line it is from) of the current run
    for number, line in enumerate(lines):
        if line.tag and run:
            out += _reflow_run(run)
            run = []
        for physical in _physical_lines(line.text):
            segments = split_segments(physical, line) if _may_hold_pieces(physical) else []
            wrap = find_wrap_width(segments) if len(segments) >= MIN_PIECES else None
            if wrap:
                out += _reflow_run(run)
                out += _join_wrapped(segments, wrap)
                run = []
            else:
                run.append((physical, line))
        if line.tag or number == len(lines) - 1:
            out += _reflow_run(run)
            run = []
    return tuple(out)


def _reflow_run(run: Sequence[tuple[str, Line]]) -> list[Line]:
    """The lines of a run of printed lines: joined where their widths show a wrap, else trimmed.

    Most runs show no wrap (an HTML block, normal text one paragraph per line): those need only
    their trimmed texts, and no `Piece` is built for them.
    """
    texts = [text for text, _ in run]
    bodies = [text.strip() for text in texts]
    wrap = None
    if len(bodies) - bodies.count("") >= MIN_PIECES:
        printed = [text.rstrip() for text, body in zip(texts, bodies, strict=True) if body]
        wrap = _find_wrap(list(map(display_width, printed)), [body for body in bodies if body])
    if wrap:
        return _join_wrapped([_to_piece(text, line) for text, line in run], wrap)
    return [line.with_text(body) for body, (_, line) in zip(bodies, run, strict=True) if body]


def _physical_lines(text: str) -> list[str]:
    """The printed lines of a line's text (most hold no line break at all)."""
    if "\n" not in text and "\r" not in text:
        return [text]
    return NEWLINE.split(text.rstrip("\r\n"))


def split_segments(text: str, line: Line) -> list[Piece | None]:
    """Cut a line at the spaces that may be old line ends (not between two Latin characters).

    >>> [p.text for p in split_segments("党的作风 就是党的形象 Hello world", Line("", 3))]
    ['党的作风', '就是党的形象', 'Hello world']
    """
    pieces, start = [], 0
    for match in LINE_END_SPACE.finditer(text):
        pieces.append(_to_piece(text[start:match.start()], line,
                                indented=bool(pieces) and _is_indent(match.group())))
        start = match.end()
    pieces.append(_to_piece(text[start:], line))
    return [p for p in pieces if p]


def _may_hold_pieces(text: str) -> bool:
    """Whether the line has the MIN_PIECES parts between whitespace that so many segments need.

    Most lines have no such spaces at all, and this test is much cheaper than cutting them.
    """
    return len(text.split(maxsplit=MIN_PIECES - 1)) >= MIN_PIECES


def _is_indent(spaces: str) -> bool:
    return len(spaces) > 1 or "\u3000" in spaces or "\t" in spaces


def _to_piece(text: str, line: Line, indented: bool = False) -> Piece | None:
    printed = text.rstrip()
    body = printed.lstrip()
    if not body:
        return None
    lead = printed[: len(printed) - len(body)]
    return Piece(body, display_width(printed), line, indented or _is_indent(lead))


def display_width(text: str) -> float:
    """Printed width: ASCII takes half a CJK cell.

    >>> display_width("2025年工作")
    5.0
    """
    narrow = len(text.encode("ascii", "ignore").translate(None, UNPRINTED_ASCII))
    return len(text) - narrow / 2


def find_wrap_width(pieces: Sequence[Piece | None]) -> Wrap | None:
    """The width the pieces were wrapped at, or None when their lengths show no wrap."""
    texts = [p for p in pieces if p]
    return _find_wrap([p.width for p in texts], [p.text for p in texts])


def _find_wrap(widths: Sequence[float], texts: Sequence[str]) -> Wrap | None:
    """`find_wrap_width` of the (non-blank) pieces of these widths and trimmed texts."""
    if len(texts) < MIN_PIECES:
        return None
    ordered = sorted(widths)
    best, count = 0, 0
    for candidate in {round(w) for w in ordered if w >= MIN_WIDTH}:
        fits = bisect_right(ordered, candidate + 0.5) - bisect_left(ordered, _full_from(candidate))
        if (fits, candidate) > (count, best):
            best, count = candidate, fits
    if count < max(MIN_FULL, FULL_SHARE * len(texts)):
        return None
    wrap = Wrap(best, _full_from(best))
    over = len(ordered) - bisect_right(ordered, 2 * best - wrap.full)
    closed = sum(1 for w, text in zip(widths, texts, strict=True) if w >= wrap.full and CLOSED.search(text))
    return wrap if over <= OVER_SHARE * len(texts) and closed <= CLOSED_SHARE * count else None


def _full_from(width: float) -> float:
    return width - max(2.0, 0.12 * width)


def _join_wrapped(group: list[Piece | None], wrap: Wrap) -> list[Line]:
    """Join the pieces of a wrapped group into blocks."""
    out: list[Line] = []
    block: list[Piece] = []
    for piece, following in zip(group, [*group[1:], None], strict=True):
        if piece is None:
            continue
        block.append(piece)
        if following is None or ends_block(block, following, wrap):
            first = block[0].line
            out.append(Line(join_pieces(p.text for p in block), first.index, first.tag))
            block = []
    return out


def ends_block(block: Sequence[Piece], following: Piece, wrap: Wrap) -> bool:
    """Whether the block's last piece ends it, given the piece that comes next."""
    last = block[-1]
    closed = CLOSED.search(last.text) is not None
    if following.indented or (closed and HEADING_MARKER.match(following.text)):
        return True
    short = last.width < wrap.full
    if HEADING_MARKER.match(block[0].text) and not any(SENTENCE_END.search(p.text) for p in block):
        return short or not _continues_heading(following, wrap)
    if short and HEADING_MARKER.match(following.text):
        return True
    return short and (closed or last.width < TITLE_SHARE * wrap.width)


def _continues_heading(following: Piece, wrap: Wrap) -> bool:
    """A full heading line goes on into a short tail, or into a sentence that ends early."""
    end = SENTENCE_END.search(following.text)
    return following.width < wrap.full or (end is not None and end.start() < wrap.width / 3)


def join_pieces(texts: Iterator[str] | Sequence[str]) -> str:
    """Join wrapped pieces: nothing between CJK (the break was a line end), a space between words.

    >>> join_pieces(["深刻把握新时代组织", "部门作风建设", "in the", "world"])
    '深刻把握新时代组织部门作风建设in the world'
    """
    parts: list[str] = []
    for text in texts:
        if parts and LATIN_END.search(parts[-1]) and text[:1].isascii() and text[:1].isalnum():
            parts.append(" ")
        parts.append(text)
    return "".join(parts)
