"""Find the speeches in a cleaned document: each one's title, header lines and sections.

One input can hold several speeches: an HTML compilation with one `h1`/`h2` title per speech, a
text compilation marked 范文一 / 篇一 / 【范文1】, or simply a second title line followed by a second
salutation (同志们：). The input is cut at each speech start; a piece whose body has fewer than
`MIN_BODY_CJK` ideographs in real sentences is not a speech (a compilation's own title, its
connecting text, page remains) and its lines are dropped.

Within a speech, the lines before the body are sorted out: the title (joined when broken over two
lines, cleaned of site suffixes, length notes and quotes), header lines (date, speaker,
——subtitle) and a title repeated at the start of the body, which is dropped once. The body is
grouped into sections. No body line is ever dropped. What a title, a header line or a heading
looks like is decided in cleaners.headings.

Removal reasons of this stage:
  repeated_title    the title again at the start of the body (possibly over 2–3 lines)
  preface           an editor's note between the title and its repeat (`今日推送一篇……`)
  before_title      lines before the title of a single speech
  after_speech      lines after a single speech that hold no speech (a page's leftovers)
  compilation_text  a compilation's own title, markers and connecting text
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.document import Line, Removal, SpeechDraft
from cleaners.headings import (
    SUFFIX_SEPARATOR,
    TitleRules,
    build_sections,
    canon_text,
    clean_title,
    count_cjk,
    find_marker_title,
    has_title_signal,
    is_header_line,
    is_heading,
    is_salutation,
    is_title_like,
    join_title,
    load_title_rules,
    marks_title,
    should_join,
    strip_learned_suffixes,
    title_span,
)

STAGE = "structure"
# A speech needs at least this many ideographs in sentence lines (lines holding ，or 。): the
# shortest real addresses (a 致辞) run to a few hundred characters, page remains far fewer.
MIN_BODY_CJK = 200
# An input that is one piece needs no such margin: only an input with no text of its own (a
# page of links, a stub) is refused, while a short 致辞 or notice with its watermark removed is kept.
MIN_SINGLE_BODY_CJK = 60
LOOKAHEAD = 4  # how far a title may sit from its salutation or body
# The title of a speech whose input names none (no title line, no usable <title>): the record's
# title must not be empty, and a visible placeholder is better than a sentence passed off as one.
UNTITLED = "无标题"
PAGE_TITLE_LINES = 4  # a <title> may be spelt out over this many lines (a notice's broken heading)
NEVER_TITLES = (3, 4)  # header kinds (HEADER_KINDS) that never start a speech: subtitle, office
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


def body_follows(lines: Sequence[Line], at: int, rules: TitleRules, salutation_only: bool) -> bool:
    """True when a salutation (or, if allowed, any body line) follows line `at` closely."""
    for line in lines[at + 1 : at + 1 + LOOKAHEAD]:
        if is_salutation(line.text, rules):
            return True
        if is_body_line(line, rules):
            return not salutation_only and count_cjk(line.text) >= 10
    return False


def is_speech_start(lines: Sequence[Line], at: int, rules: TitleRules) -> bool:
    """True for a marker line, an h1/h2 title followed by a body, or a title before a salutation."""
    text = lines[at].text.strip()
    if find_marker_title(text, rules) is not None:
        return True
    if not is_title_like(text, rules) or is_header_line(text, rules, NEVER_TITLES):
        return False  # a ——subtitle or a speaker's office stands under a title, never starts a speech
    tagged = lines[at].tag in ("h1", "h2")
    return body_follows(lines, at, rules, salutation_only=not tagged)


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


def back_up_start(lines: Sequence[Line], at: int, floor: int, rules: TitleRules) -> int:
    """Move a start back over the first half of a broken title or an earlier copy of the title."""
    if find_marker_title(lines[at].text, rules) is not None:
        return at
    title = join_title(lines, at, rules)
    for earlier in range(max(floor, at - 3), at):
        if find_repeat(lines, earlier, title, rules) and canon_text(clean_title(lines[earlier].text, rules)):
            return earlier
    if (
        at > floor
        and is_title_like(lines[at - 1].text, rules)
        and should_join(lines[at - 1].text.strip(), title, rules)
    ):
        return at - 1
    return at


def is_second_half(lines: Sequence[Line], at: int, rules: TitleRules) -> bool:
    """True when line `at` completes a title broken over the line before it."""
    return (
        at > 0
        and is_title_like(lines[at - 1].text, rules)
        and join_title(lines, at - 1, rules) != clean_title(lines[at - 1].text, rules)
    )


def find_speech_starts(lines: Sequence[Line], rules: TitleRules) -> list[int]:
    """Positions where a speech (or a compilation piece) begins, in order."""
    starts: list[int] = []
    for at in range(len(lines)):
        if not is_speech_start(lines, at, rules) or is_second_half(lines, at, rules):
            continue
        floor = starts[-1] + 1 if starts else 0
        begin = back_up_start(lines, at, floor, rules)
        marker = find_marker_title(lines[at].text, rules) is not None
        if not marker and starts and not any(is_body_line(line, rules) for line in lines[starts[-1] : begin]):
            continue  # still the opening of the previous start (a repeat or a subtitle)
        starts.append(begin)
    return starts


def find_body_anchor(lines: Sequence[Line], rules: TitleRules) -> int:
    """Position of the salutation, or failing that the first body line."""
    for at, line in enumerate(lines[:12]):
        if is_salutation(line.text, rules):
            return at
    return next((at for at, line in enumerate(lines) if is_body_line(line, rules)), len(lines))


def pick_title(lines: Sequence[Line], end: int, rules: TitleRules) -> int | None:
    """Position of the title among the lines before the body: h1/h2, else one with a date,
    ——subtitle or document number under it, else one naming its genre, else the nearest."""
    spots = [
        at
        for at in range(end)
        if is_title_like(lines[at].text, rules) and not is_header_line(lines[at].text, rules)
    ]

    def marked(at: int) -> bool:
        below = at + title_span(lines, at, rules)[1]
        return below < len(lines) and marks_title(lines[below].text, rules)

    for wanted in (
        lambda at: lines[at].tag in ("h1", "h2"),
        marked,
        lambda at: has_title_signal(join_title(lines, at)),
    ):
        chosen = next((at for at in spots if wanted(at)), None)
        if chosen is not None:
            return chosen
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
    title suffixes of the site (see `headings.title_suffix_keys`)."""
    anchor = find_body_anchor(lines, rules)
    page_title = strip_learned_suffixes(clean_title(page_title or "", rules), learned, rules)
    found = find_page_title(lines, anchor, page_title, rules)
    if found is not None:
        title, at, span = found
    else:
        picked = pick_title(lines, anchor, rules)
        if picked is None:
            return Opening(clean_title(page_title or "", rules) or UNTITLED, (), (), 0)
        at = picked
        title, span = title_span(lines[:anchor], at, rules)
        title = strip_learned_suffixes(title, learned, rules)
    removed = [drop(line, "before_title") for line in lines[:at]]
    at += span
    header: list[str] = []
    repeat_at = next(
        (k for k in range(at, min(anchor + 3, len(lines))) if find_repeat(lines, k, title, rules)), None
    )
    if repeat_at is not None:
        for line in lines[at:repeat_at]:
            if is_header_line(line.text, rules):
                header.append(line.text.strip())
            else:
                removed.append(drop(line, "preface"))
        span = find_repeat(lines, repeat_at, title, rules)
        removed.extend(drop(line, "repeated_title") for line in lines[repeat_at : repeat_at + span])
        at = repeat_at + span
    while at < len(lines) and not is_body_line(lines[at], rules):
        if not marks_title(lines[at].text, rules) and opens_broken_paragraph(lines, at):
            break
        header.append(lines[at].text.strip())
        at += 1
    return Opening(title, tuple(header), tuple(removed), at)


def has_speech_body(lines: Sequence[Line], min_cjk: int = MIN_BODY_CJK) -> bool:
    """True when lines that hold sentences (a comma or full stop) hold `min_cjk` ideographs."""
    found = 0
    for line in lines:
        if any(mark in line.text for mark in "，。,"):
            found += count_cjk(line.text)
            if found >= min_cjk:
                return True
    return False


def read_piece(
    lines: Sequence[Line],
    page_title: str | None,
    rules: TitleRules,
    min_cjk: int = MIN_BODY_CJK,
    learned: frozenset[str] = frozenset(),
) -> SpeechDraft | None:
    """The speech in one piece of the input, or None when its body is too thin to be a speech."""
    marker_title = find_marker_title(lines[0].text, rules)
    lead: list[Removal] = []
    if marker_title:
        lines = [Line(marker_title, lines[0].index, lines[0].tag), *lines[1:]]
    elif marker_title == "":
        lead, lines = [drop(lines[0], "compilation_text")], lines[1:]
    if not lines:
        return None
    opening = read_opening(lines, page_title, rules, learned)
    body = lines[opening.body_start :]
    if not has_speech_body(body, min_cjk):
        return None
    return SpeechDraft(
        title=opening.title,
        sections=build_sections([line.text for line in body]),
        start=lines[0].index,
        end=lines[-1].index + 1,
        header=opening.header,
        removed=(*lead, *opening.removed),
    )


def attach_removals(drafts: Sequence[SpeechDraft], removed: Sequence[Removal]) -> tuple[SpeechDraft, ...]:
    """Give each speech the removals in its span; those before the first or after the last go to it."""
    starts = [d.start for d in drafts]
    owned: list[list[Removal]] = [list(d.removed) for d in drafts]
    for removal in removed:
        owner = max((k for k, s in enumerate(starts) if s <= removal.index), default=0)
        owned[owner].append(removal)
    return tuple(
        SpeechDraft(d.title, d.sections, d.start, ends, d.header, tuple(sorted(mine, key=lambda r: r.index)))
        for d, mine, ends in zip(drafts, owned, [*starts[1:], drafts[-1].end], strict=True)
    )


def mark_single(removal: Removal, start: int) -> Removal:
    """Re-label a leftover of a single-speech input: it is page remains, not a compilation."""
    reason = "before_title" if removal.index < start else "after_speech"
    return Removal(removal.index, removal.text, reason, STAGE)


def split_speeches(
    lines: Sequence[Line],
    removed: Sequence[Removal] = (),
    page_title: str | None = None,
    learned: frozenset[str] = frozenset(),
) -> tuple[SpeechDraft, ...]:
    """The speeches in a document, in reading order; () when it holds none.

    `learned` is what the site memory learned of the input's site: its title suffixes are cut.

    Lines outside every speech become `compilation_text` removals (`before_title` when the input
    holds one speech); every removal, given or made here, lands on exactly one speech.
    """
    rules = load_title_rules()
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return ()
    starts = find_speech_starts(lines, rules)
    cuts = [0, *starts] if starts and starts[0] > 0 else (starts or [0])
    drafts: list[SpeechDraft] = []
    leftovers: list[Removal] = []
    min_cjk = MIN_BODY_CJK if len(cuts) > 1 else MIN_SINGLE_BODY_CJK
    for begin, end in zip(cuts, [*cuts[1:], len(lines)], strict=True):
        draft = read_piece(lines[begin:end], page_title if not drafts else None, rules, min_cjk, learned)
        if draft is None:
            leftovers.extend(drop(line, "compilation_text") for line in lines[begin:end])
        else:
            drafts.append(draft)
    if not drafts:
        return ()
    if len(drafts) == 1:
        leftovers = [mark_single(r, drafts[0].start) for r in leftovers]
    end = max(drafts[-1].end, lines[-1].index + 1)
    drafts[-1] = SpeechDraft(
        drafts[-1].title, drafts[-1].sections, drafts[-1].start, end, drafts[-1].header, drafts[-1].removed
    )
    return attach_removals(drafts, [*removed, *leftovers])
