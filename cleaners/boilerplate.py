"""Tell speech lines from boilerplate: site chrome, publication info, paywall and promo text.

Rules are data (`cleaners/data/boilerplate.yaml`, read by `boilerplate_rules`: per reason code); this
module adds the shape and position judgement around them. The guiding rule is that speech text
must never be lost: a line that reads like speech (a real sentence) is removed only at the top or
bottom edge of the document and only when most of it is boilerplate, and salutations, closings
and outline headings are never removed. Every removed line becomes a `Removal` with its reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cleaners.apparatus import find_apparatus
from cleaners.boilerplate_rules import (  # noqa: F401 - load_boilerplate_rules, nfkc: the stage's API
    BoilerplateRules,
    Category,
    load_boilerplate_rules,
    nfkc,
    normalize_for_matching,
    normalize_lines,
)
from cleaners.chars import CJK, SENTENCE_END
from cleaners.document import Line, Removal, Stripped

SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
NAV_SEPARATOR = re.compile(r"[|｜>»›]")
NAV_TOKEN_SPLIT = re.compile(r"\s*[|｜>»›]\s*|\s+")
# A sentence end (`chars.SENTENCE_END`) or a clause mark: no menu holds one.
SENTENCE_OR_CLAUSE = re.compile(r"[。！？!?；;，、,：:]")
# Text of only these characters normalises character by character (see `may_end_with`).
PLAIN_TEXT = re.compile(
    "[\t-\r -~\u00a0-\u00ff\u2000-\u206f\u3000-\u3029\u3030-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff01-\uff60\uffe0-\uffee]*"
)
SPEECH_MIN_CJK = 15
# Matches (from the start) text holding at least SPEECH_MIN_CJK ideographs, without listing them.
# Each step skips the other characters with one class test per character: a third of the cost
# of a lookahead per character. (Python 3.10 has no possessive `*+`; backtracking into a run of
# other characters only happens when the text falls short, and cannot change the answer.)
NOT_CJK = f"[^{CJK.pattern[1:-1]}]"
ENOUGH_CJK = re.compile(rf"(?:{NOT_CJK}*{CJK.pattern}){{{SPEECH_MIN_CJK}}}")
ANCHOR_MIN_CHARS = 30  # a clean speech paragraph this long marks where the edges end
REPEAT_MIN_COUNT = 3  # a short line seen this often in one document is a running header
REPEAT_MAX_CHARS = 40


@dataclass(slots=True)
class ScannedLine:
    """A line with what the rules look at, worked out once: its matching key, whether it reads
    like speech, is never removed (`BoilerplateRules.is_kept`: a salutation, closing or outline
    heading) and is shaped like a speech title (never removed for repeating). Not frozen, though
    never changed: one is built per line, and a frozen dataclass takes four times as long.
    `plain` says the line is all PLAIN_TEXT (see `may_end_with`)."""

    line: Line
    key: str
    speechlike: bool
    kept: bool
    title_shaped: bool
    plain: bool


def scan_lines(lines: Sequence[Line], rules: BoilerplateRules | None = None) -> list[ScannedLine]:
    """Normalise and judge each line once, for every rule and pass (and the site memory) that
    needs it."""
    rules = rules or load_boilerplate_rules()
    texts = [line.text for line in lines]
    all_plain = PLAIN_TEXT.fullmatch("\n".join(texts)) is not None  # the usual page: one scan
    # `rules.is_kept` and `rules.is_speech_title` without their two method calls per line
    is_kept, is_speech_title = rules.any_keep.test, rules.any_speech_title.test
    scanned = []
    for line, key in zip(lines, normalize_lines(texts), strict=True):
        kept, title_shaped = bool(is_kept(key)), bool(is_speech_title(key))
        plain = all_plain or PLAIN_TEXT.fullmatch(line.text) is not None
        scanned.append(ScannedLine(line, key, is_speechlike(line.text), kept, title_shaped, plain))
    return scanned


def is_speechlike(text: str) -> bool:
    """A real sentence: sentence-ending punctuation and at least 15 Chinese characters."""
    return bool(SENTENCE_END.search(text)) and ENOUGH_CJK.match(text) is not None


def is_nav_shaped(text: str) -> bool:
    """A menu or breadcrumb: short tokens joined by `|` or `>`, or many tiny words, no sentence.

    >>> is_nav_shaped("首页 | 讲话稿 | 党课"), is_nav_shaped("2024年 1月 5日")
    (True, False)
    """
    if SENTENCE_OR_CLAUSE.search(text):
        return False
    tokens = [t for t in NAV_TOKEN_SPLIT.split(text.strip()) if t]
    if len(NAV_SEPARATOR.findall(text)) >= 2:
        return all(len(t) <= 8 for t in tokens)
    return len(tokens) >= 5 and all(len(t) <= 4 and not any(c.isdigit() for c in t) for t in tokens)


def boilerplate_share(text: str, rules: BoilerplateRules) -> float:
    """Share of the line's sentences that match a boilerplate rule."""
    sentences = [s for s in SENTENCE.findall(text) if s.strip()]
    hits = sum(1 for s in sentences if rules.category_for(normalize_for_matching(s)))
    return hits / max(1, len(sentences))


def find_edges(lines: Sequence[ScannedLine], rules: BoilerplateRules) -> tuple[int, int]:
    """Positions of the first and last clean speech paragraph; lines outside them are the edges."""
    anchors = [
        pos
        for pos, s in enumerate(lines)
        if len(s.line.text) >= ANCHOR_MIN_CHARS and s.speechlike and not rules.category_for(s.key)
    ]
    return (anchors[0], anchors[-1]) if anchors else (len(lines), -1)


def find_running_headers(lines: Sequence[ScannedLine], rules: BoilerplateRules) -> set[str]:
    """Short non-sentence lines repeated within one document: PDF page headers and footers."""
    counts = Counter(
        s.key
        for s in lines
        if s.key and len(s.key) <= REPEAT_MAX_CHARS and not s.speechlike and not s.kept and not s.title_shaped
    )
    return {key for key, count in counts.items() if count >= REPEAT_MIN_COUNT}


def may_end_with(category: Category, scanned: ScannedLine) -> bool:
    """False when no tail of the line can match the category, so the tails need no search.

    Plain text normalises character by character, so each tail's key is the end of the line's
    key: if the line's key lacks a character that every rule needs, so does each tail's.
    """
    return not scanned.plain or category.may_match(scanned.key)


def trim_length_marker(scanned: ScannedLine, rules: BoilerplateRules) -> tuple[Line, Removal | None]:
    """Cut a word count such as `(全文3623字)` off the end of a longer line, e.g. a title."""
    line, category = scanned.line, rules.length_marker
    if category is None or len(line.text) < 8 or not may_end_with(category, scanned):
        return line, None
    for start in range(len(line.text) - 1, max(0, len(line.text) - 20), -1):
        tail = line.text[start:]
        if tail.strip() and category.matches(normalize_for_matching(tail)):
            head = line.text[:start].rstrip()
            if head and not category.matches(normalize_for_matching(line.text[start - 1 :])):
                marker = Removal(line.index, tail.strip(), "length_marker", "boilerplate")
                return line.with_text(head), marker
    return line, None


def classify_line(
    scanned: ScannedLine, at_edge: bool, rules: BoilerplateRules, repeated: set[str], learned: frozenset[str]
) -> Category | str | None:
    """The category (or plain reason code) a line is removed for, or None to keep it."""
    key, text = scanned.key, scanned.line.text
    if scanned.kept:
        return None
    category = rules.category_for(key)
    if category is not None:
        if (
            not scanned.speechlike
            or category.even_in_sentences
            or (at_edge and boilerplate_share(text, rules) >= 0.5)
        ):
            return category
        return None
    if scanned.speechlike:
        return None  # and never nav-shaped: a sentence end is a clause mark (SENTENCE_OR_CLAUSE)
    if is_nav_shaped(text):
        return "site_chrome"
    if scanned.title_shaped:
        return None
    if key in repeated:
        return "page_furniture"
    return "repeated_across_site" if key in learned else None


def strip_boilerplate(
    lines: Sequence[Line], rules: BoilerplateRules | None = None, learned: frozenset[str] = frozenset()
) -> Stripped:
    """Keep the speech lines; remove boilerplate with a reason code; flag cut-off (paywalled) text.

    `learned` holds normalised lines that recur across a site (see `site_memory`).
    """
    rules = rules or load_boilerplate_rules()
    return strip_scanned(scan_lines(lines, rules), rules, learned)


def strip_scanned(
    scanned: Sequence[ScannedLine], rules: BoilerplateRules, learned: frozenset[str] = frozenset()
) -> Stripped:
    """`strip_boilerplate` of lines scanned already (the pipeline scans them once for this stage
    and the site memory)."""
    first, last = find_edges(scanned, rules)
    repeated = find_running_headers(scanned, rules)
    apparatus = find_apparatus(scanned, rules)
    kept: list[Line] = []
    removed: list[Removal] = []
    paywalled = False
    for pos, item in enumerate(scanned):
        if not item.key:
            kept.append(item.line)
            continue
        if pos in apparatus:
            removed.append(Removal(item.line.index, item.line.text, apparatus[pos], "boilerplate"))
            continue
        verdict = classify_line(item, not first <= pos <= last, rules, repeated, learned)
        if verdict is None:
            line, marker = trim_length_marker(item, rules)
            kept.append(line)
            removed.extend([marker] if marker else [])
            continue
        reason = verdict if isinstance(verdict, str) else verdict.reason
        paywalled = paywalled or (isinstance(verdict, Category) and verdict.cuts_off(item.key))
        removed.append(Removal(item.line.index, item.line.text, reason, "boilerplate"))
    return Stripped(lines=tuple(kept), removed=tuple(removed), paywalled=paywalled)
