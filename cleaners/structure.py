"""Find the speeches in a cleaned document: each one's title, header lines and sections.

One input can hold several speeches: an HTML compilation with one `h1`/`h2` title per speech, a
text compilation marked 范文一 / 篇一 / 【范文1】, or simply a second title line followed by a second
salutation (同志们：). The input is cut at each speech start; a piece whose body has fewer than
`MIN_BODY_CJK` ideographs in real sentences is not a speech (a compilation's own title, its
connecting text, page remains) and its lines are dropped.

Within a speech, the lines before the body are sorted out by cleaners.opening: the title, header
lines (date, speaker, ——subtitle, document number) and a title repeated at the start of the
body, which is dropped once. The body is grouped into sections. No body line is ever dropped.
What a title looks like is decided in cleaners.titles, a header line or a heading in
cleaners.headings.

Removal reasons of this stage:
  repeated_title    the title again at the start of the body (possibly over 2–3 lines)
  preface           an editor's note between the title and its repeat (`今日推送一篇……`)
  before_title      lines before the title of a single speech
  after_speech      lines after a single speech that hold no speech (a page's leftovers)
  compilation_text  a compilation's own title, markers and connecting text
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from operator import attrgetter

from cleaners.chars import count_cjk
from cleaners.document import Line, Removal, SpeechDraft
from cleaners.headings import build_sections
from cleaners.opening import STAGE, drop, find_body_line, find_repeat, is_body_line, read_opening
from cleaners.opening_rules import (
    TitleRules,
    canon_text,
    header_kinds,
    is_header_line,
    is_salutation,
    load_title_rules,
)
from cleaners.titles import clean_title, find_marker_title, is_title_like, join_title, should_join

# A speech needs at least this many ideographs in sentence lines (lines holding ，。！ or ？): the
# shortest real addresses (a 致辞) run to a few hundred characters, page remains far fewer.
MIN_BODY_CJK = 200
# An input that is one piece needs no such margin: only an input with no text of its own (a
# page of links, a stub) is refused, while a short 致辞 or notice with its watermark removed is kept.
MIN_SINGLE_BODY_CJK = 60
# An input none of whose pieces is a speech is still cleaned as one document (a news report, a
# notice, an agenda) when it has text of its own: this many ideographs in lines of at least
# `OWN_LINE_CJK`. Only menus, prompts and stray characters fall short.
MIN_OWN_TEXT_CJK = 60
OWN_LINE_CJK = 8
LOOKAHEAD = 4  # how far a title may sit from its salutation or body
NEVER_TITLES = header_kinds("subtitle", "position")  # header lines that never start a speech
# Heading levels that a document's styles state (the readers in `formats` tag Word's Heading 1–4
# so); HTML's h3–h6 say less (sites style sidebars with them) and are not taken as headings.
STYLED_LEVELS = {"heading1": 1, "heading2": 2, "heading3": 3, "heading4": 4}
BY_INDEX = attrgetter("index")  # removals are listed in line order


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
        if not marker and starts and find_body_line(lines, rules, starts[-1], begin) == begin:
            continue  # no body line since the previous start: still its opening (a repeat or a subtitle)
        starts.append(begin)
    return starts


def holds_sentence(text: str) -> bool:
    """True when the text holds a comma, full stop, exclamation or question mark.

    Five `in` tests, not `any()` over the marks: a generator costs more than the tests, and
    every body line is asked.
    """
    return "，" in text or "。" in text or "," in text or "！" in text or "？" in text


def has_speech_body(lines: Sequence[Line], min_cjk: int = MIN_BODY_CJK) -> bool:
    """True when lines that hold sentences (`holds_sentence`) hold `min_cjk` ideographs."""
    found = 0
    for line in lines:
        if holds_sentence(line.text):
            found += count_cjk(line.text)
            if found >= min_cjk:
                return True
    return False


def has_own_text(lines: Sequence[Line]) -> bool:
    """True when lines of `OWN_LINE_CJK` ideographs or more hold `MIN_OWN_TEXT_CJK` in all."""
    found = 0
    for line in lines:
        cjk = count_cjk(line.text)
        found += cjk if cjk >= OWN_LINE_CJK else 0
        if found >= MIN_OWN_TEXT_CJK:
            return True
    return False


def read_piece(
    lines: Sequence[Line],
    page_title: str | None,
    rules: TitleRules,
    min_cjk: int = MIN_BODY_CJK,
    learned: frozenset[str] = frozenset(),
    whole: bool = False,
) -> SpeechDraft | None:
    """The speech in one piece of the input, or None when its body is too thin to be a speech
    (for the `whole` input read as one document: when it has no text of its own)."""
    marker_title = find_marker_title(lines[0].text, rules)
    lead: list[Removal] = []
    if marker_title:
        lines = [lines[0].with_text(marker_title), *lines[1:]]
    elif marker_title == "":
        lead, lines = [drop(lines[0], "compilation_text")], lines[1:]
    if not lines:
        return None
    opening = read_opening(lines, page_title, rules, learned)
    body = lines[opening.body_start :]
    if not (has_speech_body(body, min_cjk) or whole and has_own_text(body)):
        return None
    return SpeechDraft(
        title=opening.title,
        sections=build_sections(
            [ln.text for ln in body],
            styled=[STYLED_LEVELS.get(ln.tag) for ln in body],
            emphasized=[ln.tag == "b" for ln in body],
        ),
        start=lines[0].index,
        end=lines[-1].index + 1,
        header=opening.header,
        removed=(*lead, *opening.removed),
    )


def owning_speech(starts: Sequence[int], index: int) -> int:
    """Which speech a line index belongs to, given the speeches' starts (ascending, as speeches
    are in reading order): the last one starting at or before it, else the first.

    >>> owning_speech([3, 5], 4), owning_speech([3, 5], 5), owning_speech([3, 5], 0)
    (0, 1, 0)
    """
    return max(bisect_right(starts, index) - 1, 0)


def attach_removals(
    drafts: Sequence[SpeechDraft], removed: Sequence[Removal], end: int
) -> tuple[SpeechDraft, ...]:
    """Give each speech the removals in its span; those before the first or after the last go to it.

    Each speech ends where the next one starts, the last at `end`."""
    starts = [d.start for d in drafts]
    owned: list[list[Removal]] = [list(d.removed) for d in drafts]
    for removal in removed:
        owned[owning_speech(starts, removal.index)].append(removal)
    return tuple(
        SpeechDraft(d.title, d.sections, d.start, ends, d.header, tuple(sorted(mine, key=BY_INDEX)))
        for d, mine, ends in zip(drafts, owned, [*starts[1:], end], strict=True)
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
        whole = read_piece(lines, page_title, rules, learned=learned, whole=True)
        if whole is None:
            return ()
        drafts, leftovers = [whole], []
    if len(drafts) == 1:
        leftovers = [mark_single(r, drafts[0].start) for r in leftovers]
    return attach_removals(drafts, [*removed, *leftovers], end=max(drafts[-1].end, lines[-1].index + 1))
