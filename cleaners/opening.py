"""Read the opening of a speech: which line is its title, which are header lines under it, and
where its body begins.

The title is where 1–4 lines before the body spell out the page's `<title>` (or its part before
a separator), else an h1/h2, else a title-like line with a date, ——subtitle or document number
under it, else one naming its genre, else the nearest; failing all, the `<title>` itself. Lines
before the title are dropped (`before_title`); an editor's note before a repeat of the title is
a `preface`, the repeat a `repeated_title`. Header lines run to the first body line; a paragraph
broken at its links (`…所作的` / `政府工作报告` / `。会议…`) is body, not header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.chars import count_cjk
from cleaners.document import Line, Removal
from cleaners.headings import is_heading
from cleaners.opening_rules import (
    TitleRules,
    canon_text,
    is_header_line,
    is_letterhead,
    is_salutation,
    marks_title,
)
from cleaners.titles import (
    SUFFIX_SEPARATOR,
    clean_title,
    has_title_signal,
    is_title_like,
    join_title,
    strip_learned_suffixes,
    title_span,
)

STAGE = "structure"

# The title of a speech whose input names none (no title line, no usable <title>): the record's
# title must not be empty, and a visible placeholder is better than a sentence passed off as one.
UNTITLED = "无标题"
PAGE_TITLE_LINES = 4  # a <title> may be spelt out over this many lines (a notice's broken heading)
CONTINUING = "。，、；：！？）》”"  # a line opening so goes on from the line before


@dataclass(frozen=True)
class Opening:
    """How the lines before a speech body were read: positions are into the speech's lines."""

    title: str
    header: tuple[str, ...]
    removed: tuple[Removal, ...]
    body_start: int


def is_body_line(line: Line, rules: TitleRules) -> bool:
    """True for a line that opens or continues a body: salutation, heading or sentence."""
    text = line.text.strip()
    return (
        is_salutation(text, rules)
        or is_heading(text)
        or not (is_title_like(text, rules) or is_header_line(text, rules))
    )


def find_repeat(lines: Sequence[Line], at: int, title: str, rules: TitleRules) -> int:
    """How many lines (1–3) from `at` repeat the title, spaces and punctuation aside; 0 if none."""
    target, joined = canon_text(title), ""
    for n, line in enumerate(lines[at : at + 3], start=1):
        joined += canon_text(clean_title(line.text, rules))
        if not target or not target.startswith(joined):
            return 0
        if joined == target:
            return n
    return 0


def find_repeat_start(
    lines: Sequence[Line], start: int, stop: int, title: str, rules: TitleRules
) -> int | None:
    """Position of the first repeat of the title (`find_repeat`) in lines[start:stop], if any."""
    for at in range(start, min(stop, len(lines))):
        if find_repeat(lines, at, title, rules):
            return at
    return None


def find_body_line(lines: Sequence[Line], rules: TitleRules, start: int = 0, stop: int | None = None) -> int:
    """Position of the first body line (`is_body_line`) in lines[start:stop], else `stop` (by
    default the end). A plain loop, not `next()` over a generator: this runs for every piece."""
    stop = len(lines) if stop is None else stop
    for at in range(start, stop):
        if is_body_line(lines[at], rules):
            return at
    return stop


def find_body_anchor(lines: Sequence[Line], rules: TitleRules) -> int:
    """Position of the salutation, or failing that the first body line."""
    for at, line in enumerate(lines[:12]):
        if is_salutation(line.text, rules):
            return at
    return find_body_line(lines, rules)


def pick_title(lines: Sequence[Line], end: int, rules: TitleRules) -> int | None:
    """Position of the title among the lines before the body: h1/h2, else one with a date,
    ——subtitle or document number under it, else one naming its genre, else the nearest. An
    official document's letterhead is a title only when no other line can be one."""
    spots = [
        at
        for at in range(end)
        if is_title_like(lines[at].text, rules) and not is_header_line(lines[at].text, rules)
    ]
    spots = [at for at in spots if not is_letterhead(lines[at].text, rules)] or spots

    def marked(at: int) -> bool:
        below = at + title_span(lines, at, rules)[1]
        return below < len(lines) and marks_title(lines[below].text, rules)

    for wanted in (
        lambda at: lines[at].tag in ("h1", "h2"),
        marked,
        lambda at: has_title_signal(join_title(lines, at)),
    ):
        for at in spots:
            if wanted(at):
                return at
    return spots[-1] if spots else None


def drop(line: Line, reason: str) -> Removal:
    """A structure-stage removal of a line."""
    return Removal(index=line.index, text=line.text, reason=reason, stage=STAGE)


def find_page_title(
    lines: Sequence[Line], end: int, page_title: str | None, rules: TitleRules
) -> tuple[str, int, int] | None:
    """The page's `<title>` (cleaned) where 1–4 lines before the body spell it out, with the
    position and number of those lines (GeneralNewsExtractor's test of `<title>` against the
    headings, made exact: a title broken over lines, or whose <h1> holds only its first half).

    A part of the `<title>` before a separator (`标题_栏目名`) counts as well, so a suffix that
    no rule names does not hide the headline that the page repeats.
    """
    title = clean_title(page_title or "", rules)
    if not title:
        return None  # no <title> (a text file, a page without one)
    cuts = [title[: m.start()].rstrip() for m in SUFFIX_SEPARATOR.finditer(title)]
    targets = {canon_text(t): t for t in (*cuts, title) if count_cjk(t) >= rules.min_cjk}
    full = canon_text(title)
    if not targets:
        return None
    for at in range(end):
        joined, found = "", None
        for n in range(1, min(PAGE_TITLE_LINES, end - at) + 1):
            joined += canon_text(clean_title(lines[at + n - 1].text, rules))
            if not joined or not full.startswith(joined):
                break
            if joined in targets:
                found = (targets[joined], at, n)
        if found is not None:
            return found
    return None


def opens_broken_paragraph(lines: Sequence[Line], at: int) -> bool:
    """True when a line soon after `at` starts with punctuation that continues a sentence: the
    lines from `at` are a paragraph broken at its links (`…所作的` / `政府工作报告` / `。会议…`)."""
    return any(line.text.lstrip()[:1] in CONTINUING for line in lines[at + 1 : at + 3])


def read_opening(
    lines: Sequence[Line], page_title: str | None, rules: TitleRules, learned: frozenset[str] = frozenset()
) -> Opening:
    """Sort the lines before the body into title, header lines and removals; `learned` holds the
    title suffixes of the site (see `titles.title_suffix_keys`)."""
    anchor = find_body_anchor(lines, rules)
    page_title = strip_learned_suffixes(clean_title(page_title or "", rules), learned, rules)
    found = find_page_title(lines, anchor, page_title, rules)
    if found is not None:
        title, at, span = found
    else:
        picked = pick_title(lines, anchor, rules)
        if picked is None:
            return Opening(page_title or UNTITLED, (), (), 0)
        at = picked
        title, span = title_span(lines[:anchor], at, rules)
        title = strip_learned_suffixes(title, learned, rules)
    removed = [drop(line, "before_title") for line in lines[:at]]
    at += span
    header: list[str] = []

    def read_header(line: Line) -> None:  # into the record's fields, and listed as removed
        header.append(line.text.strip())
        removed.append(drop(line, "header_line"))

    repeat_at = find_repeat_start(lines, at, anchor + 3, title, rules)
    if repeat_at is not None:
        for line in lines[at:repeat_at]:
            if is_header_line(line.text, rules):
                read_header(line)
            else:
                removed.append(drop(line, "preface"))
        span = find_repeat(lines, repeat_at, title, rules)
        removed.extend(drop(line, "repeated_title") for line in lines[repeat_at : repeat_at + span])
        at = repeat_at + span
    while at < len(lines) and not is_body_line(lines[at], rules):
        if not marks_title(lines[at].text, rules) and opens_broken_paragraph(lines, at):
            break
        read_header(lines[at])
        at += 1
    return Opening(title, tuple(header), tuple(removed), at)
