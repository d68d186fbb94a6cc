"""Tell speech lines from boilerplate: site chrome, publication info, paywall and promo text.

Rules are data (`cleaners/data/boilerplate.yaml`: per reason code, phrases and patterns); this
module adds the shape and position judgement around them. The guiding rule is that speech text
must never be lost: a line that reads like speech (a real sentence) is removed only at the top or
bottom edge of the document and only when most of it is boilerplate, and salutations, closings
and outline headings are never removed. Every removed line becomes a `Removal` with its reason.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from cleaners.apparatus import TAIL_LINES, find_endnotes, find_tail_block, find_toc
from cleaners.chars import CJK
from cleaners.document import Line, Removal, Stripped
from cleaners.regex_needs import chars_every_match_has, is_anchored, needed_strings

DEFAULT_RULES = Path(__file__).with_name("data") / "boilerplate.yaml"
SPECIAL_SECTIONS = ("keep", "speech_titles")
SENTENCE_END = re.compile(r"[。！？；!?;]")
SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
NAV_SEPARATOR = re.compile(r"[|｜>»›]")
NAV_TOKEN_SPLIT = re.compile(r"\s*[|｜>»›]\s*|\s+")
CLAUSE_PUNCT = re.compile(r"[，、,：:]")
DIGIT = re.compile(r"\d")
# The ideographic space and the full-width ASCII forms, each with its NFKC form (see `nfkc`).
NARROW_FORMS = {c: unicodedata.normalize("NFKC", c) for c in map(chr, [0x3000, *range(0xFF01, 0xFF5F)])}
FULL_WIDTH = re.compile(f"[{re.escape(''.join(NARROW_FORMS))}]")
# Text of only these characters normalises character by character (see `may_end_with`).
PLAIN_TEXT = re.compile(
    "[\t-\r -~\u00a0-\u00ff\u2000-\u206f\u3000-\u3029\u3030-\u303f\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff01-\uff60\uffe0-\uffee]*"
)
SPEECH_MIN_CJK = 15
# Matches (from the start) text holding at least SPEECH_MIN_CJK ideographs, without listing them.
ENOUGH_CJK = re.compile(rf"(?:(?:(?!{CJK.pattern}).)*{CJK.pattern}){{{SPEECH_MIN_CJK}}}", re.DOTALL)
ANCHOR_MIN_CHARS = 30  # a clean speech paragraph this long marks where the edges end
REPEAT_MIN_COUNT = 3  # a short line seen this often in one document is a running header
REPEAT_MAX_CHARS = 40
SEEN_MAX = 50_000  # verdicts remembered per rule set


@dataclass(frozen=True)
class Category:
    """The phrases and patterns of one reason code; `cut_off` patterns also mark a paywall."""

    reason: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    cut_off: tuple[re.Pattern[str], ...] = ()
    even_in_sentences: bool = False  # the shape decides: a line reading like speech goes too
    tail_block: bool = False  # a match near the end removes the rest of the text too

    def matches(self, key: str) -> bool:
        """True when the normalised line holds one of the phrases or patterns."""
        return self.any_rule.found_in(key)

    @cached_property
    def any_rule(self) -> AnyRule:
        return AnyRule.build(self.all_patterns, self.phrases)

    @property
    def all_patterns(self) -> tuple[re.Pattern[str], ...]:
        """Patterns including the cut-off ones (a cut-off prompt is boilerplate too)."""
        return self.patterns + self.cut_off

    def may_match(self, key: str) -> bool:
        """False when every rule needs a character the key lacks: a cheap test before `matches`."""
        return any(all(c in key for c in chars) for chars in self.needs)

    @cached_property
    def needs(self) -> tuple[frozenset[str], ...]:
        """Per phrase or pattern, the characters that every text it matches contains."""
        return tuple(map(frozenset, self.phrases)) + tuple(map(chars_every_match_has, self.all_patterns))

    def cuts_off(self, key: str) -> bool:
        """True when the normalised line says the rest of the text is hidden."""
        return any(p.search(key) for p in self.cut_off)


@dataclass(frozen=True)
class BoilerplateRules:
    """Categories in match order, lines never removed, and speech-title shapes."""

    categories: tuple[Category, ...]
    keep: tuple[re.Pattern[str], ...] = ()
    speech_titles: tuple[re.Pattern[str], ...] = ()
    # Verdicts of `category_for` per key: a page repeats its chrome, a hostile file one line
    # millions of times. Cleared when full, so memory stays bounded.
    seen: dict[str, Category | None] = field(default_factory=dict, compare=False, repr=False)

    def category_for(self, key: str) -> Category | None:
        """The first category whose rules match the normalised line."""
        if key in self.seen:
            return self.seen[key]
        if len(self.seen) >= SEEN_MAX:
            self.seen.clear()
        found = self.seen[key] = self.first_match(key)
        return found

    def first_match(self, key: str) -> Category | None:
        """The first matching category; one pass over all rules settles the usual line, which
        none match."""
        if not self.any_rule.found_in(key):
            return None
        return next((c for c in self.categories if c.matches(key)), None)

    def is_kept(self, key: str) -> bool:
        """True for salutations, closings and outline headings."""
        return self.any_keep.found_in(key)

    def is_speech_title(self, key: str) -> bool:
        """True for lines shaped like a speech title."""
        return self.any_speech_title.found_in(key)

    @cached_property
    def any_rule(self) -> AnyRule:
        patterns = [p for c in self.categories for p in c.all_patterns]
        return AnyRule.build(patterns, [p for c in self.categories for p in c.phrases])

    def tail_block_reason(self, key: str) -> str | None:
        """The reason when the line opens a tail block (a licence note), else None."""
        category = self.category_for(key)
        return category.reason if category is not None and category.tail_block else None

    @cached_property
    def tail_blocks(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.tail_block)

    @cached_property
    def tail_block_guards(self) -> tuple[str, ...]:
        """Strings of which every match of a tail-block rule holds one (("",) when unknown, which
        every text holds): text holding none of them opens no tail block."""
        patterns = [p for c in self.tail_blocks for p in c.all_patterns]
        needs = needed_strings(*patterns)
        phrases = tuple(p for c in self.tail_blocks for p in c.phrases)
        return ("",) if needs is None else needs + phrases

    @cached_property
    def length_marker(self) -> Category | None:
        """The category of word-count markers, cut off the end of longer lines too."""
        return next((c for c in self.categories if c.reason == "length_marker"), None)

    @cached_property
    def any_keep(self) -> AnyRule:
        return AnyRule.build(self.keep)

    @cached_property
    def any_speech_title(self) -> AnyRule:
        return AnyRule.build(self.speech_titles)


@dataclass(frozen=True)
class AnyRule:
    """Phrases and patterns laid out to be tried fast, since every line meets every rule.

    The phrases form one expression. Patterns anchored with `^` form another, tried only at the
    start of the line. The rest are tried one by one: joined into one expression they would lose
    the regex engine's shortcuts (skipping to a pattern's leading literal), which costs more.
    """

    tests: tuple[Callable[[str], re.Match[str] | None], ...]
    # Floating patterns with the characters each match must hold: one `in` test skips most.
    guarded: tuple[tuple[str, Callable[[str], re.Match[str] | None]], ...] = ()

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]], phrases: Sequence[str] = ()) -> AnyRule:
        anchored = [p for p in patterns if is_anchored(p)]
        floating = [p for p in patterns if not is_anchored(p)]
        # the highest code point: an ideograph rather than a ':' that most lines hold
        guards = [(max(chars_every_match_has(p), default=""), p.search) for p in floating]
        return cls(
            tests=((any_of(anchored).match,) if anchored else ())
            + ((any_of([], phrases).search,) if phrases else ())
            + tuple(search for guard, search in guards if not guard),
            guarded=tuple((guard, search) for guard, search in guards if guard),
        )

    def found_in(self, key: str) -> bool:
        """True when any phrase or pattern matches in the key."""
        for test in self.tests:  # noqa: SIM110 - a loop, not any(generator): it runs per line and rule
            if test(key):
                return True
        for guard, search in self.guarded:  # noqa: SIM110 - as above
            if guard in key and search(key):
                return True
        return False


def any_of(patterns: Sequence[re.Pattern[str]], phrases: Sequence[str] = ()) -> re.Pattern[str]:
    """One expression matching where any of the patterns or literal phrases matches.

    >>> any_of([re.compile(r"\\d+字")], ["浏览"]).search("全文300字") is not None
    True
    """
    alternatives = [re.escape(p) for p in phrases] + [f"(?:{p.pattern})" for p in patterns]
    return re.compile("|".join(alternatives) or "(?!)")


def normalize_for_matching(text: str) -> str:
    """The matching key of a line: NFKC, lower case, no whitespace, every digit as 0.

    >>> normalize_for_matching("浏览量： 45"), normalize_for_matching("Ｖｉｐ专享")
    ('浏览量:00', 'vip专享')
    """
    folded = nfkc(text).casefold()
    return DIGIT.sub("0", "".join(folded.split()))


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, faster for the usual Chinese line.

    Such a line is normalised but for its full-width punctuation. Swapping a character for its
    own NFKC form leaves the NFKC of the text unchanged, so the full-width forms are narrowed
    first, and the slow full normalisation runs only when a quick check says it still must.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    narrowed = FULL_WIDTH.sub(narrow_form, text)
    if unicodedata.is_normalized("NFKC", narrowed):
        return narrowed
    return unicodedata.normalize("NFKC", narrowed)


def narrow_form(match: re.Match[str]) -> str:
    """The NFKC form of one matched full-width character."""
    return NARROW_FORMS[match.group()]


@lru_cache(maxsize=8)
def load_boilerplate_rules(path: Path | None = None) -> BoilerplateRules:
    """Read the rules YAML (default: the shipped `data/boilerplate.yaml`); cached per path."""
    data = yaml.safe_load((path or DEFAULT_RULES).read_text(encoding="utf-8")) or {}
    categories = tuple(
        Category(
            reason=reason,
            phrases=tuple(normalize_for_matching(p) for p in entry.get("phrases") or ()),
            patterns=compile_patterns(entry.get("patterns")),
            cut_off=compile_patterns(entry.get("cut_off")),
            even_in_sentences=bool(entry.get("even_in_sentences")),
            tail_block=bool(entry.get("tail_block")),
        )
        for reason, entry in data.items()
        if reason not in SPECIAL_SECTIONS
    )
    return BoilerplateRules(
        categories=categories,
        keep=compile_patterns((data.get("keep") or {}).get("patterns")),
        speech_titles=compile_patterns((data.get("speech_titles") or {}).get("patterns")),
    )


def compile_patterns(patterns: Sequence[str] | None) -> tuple[re.Pattern[str], ...]:
    """Compile a YAML list of regular expressions."""
    return tuple(re.compile(p) for p in patterns or ())


@dataclass(frozen=True, slots=True)
class ScannedLine:
    """A line with what the rules look at, worked out once: its matching key and whether it
    reads like speech."""

    line: Line
    key: str
    speechlike: bool


def scan_lines(lines: Sequence[Line]) -> list[ScannedLine]:
    """Normalise and judge each line once, for every rule and pass that needs it."""
    return [ScannedLine(line, normalize_for_matching(line.text), is_speechlike(line.text)) for line in lines]


def is_speechlike(text: str) -> bool:
    """A real sentence: sentence-ending punctuation and at least 15 Chinese characters."""
    return bool(SENTENCE_END.search(text)) and ENOUGH_CJK.match(text) is not None


def is_nav_shaped(text: str) -> bool:
    """A menu or breadcrumb: short tokens joined by `|` or `>`, or many tiny words, no sentence.

    >>> is_nav_shaped("首页 | 讲话稿 | 党课"), is_nav_shaped("2024年 1月 5日")
    (True, False)
    """
    if SENTENCE_END.search(text) or CLAUSE_PUNCT.search(text):
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
        if s.key and len(s.key) <= REPEAT_MAX_CHARS and not s.speechlike
        and not rules.is_kept(s.key) and not rules.is_speech_title(s.key)
    )
    return {key for key, count in counts.items() if count >= REPEAT_MIN_COUNT}


def may_end_with(category: Category, scanned: ScannedLine) -> bool:
    """False when no tail of the line can match the category, so the tails need no search.

    Plain text normalises character by character, so each tail's key is the end of the line's
    key: if the line's key lacks a character that every rule needs, so does each tail's.
    """
    return category.may_match(scanned.key) or PLAIN_TEXT.fullmatch(scanned.line.text) is None


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
                return Line(text=head, index=line.index, tag=line.tag), marker
    return line, None


def classify_line(
    scanned: ScannedLine, at_edge: bool, rules: BoilerplateRules, repeated: set[str], learned: frozenset[str]
) -> Category | str | None:
    """The category (or plain reason code) a line is removed for, or None to keep it."""
    key, text = scanned.key, scanned.line.text
    if rules.is_kept(key):
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
    if is_nav_shaped(text):
        return "site_chrome"
    if rules.is_speech_title(key) or scanned.speechlike:
        return None
    if key in repeated:
        return "page_furniture"
    return "repeated_across_site" if key in learned else None


def find_apparatus(lines: Sequence[ScannedLine], rules: BoilerplateRules) -> dict[int, str]:
    """Positions and reasons of a text's licence note, endnote list and table of contents."""
    keys = [s.key for s in lines]
    texts = [s.line.text for s in lines]
    tail = "\n".join(keys[-TAIL_LINES:])  # one cheap look at the tail before any per-line work
    found: dict[int, str] = {}
    if any(guard in tail for guard in rules.tail_block_guards):
        found = find_tail_block(keys, rules.tail_block_reason, rules.is_kept)
    found.update(find_endnotes(texts, keys, lambda k: k in found or rules.category_for(keys[k]) is not None))
    if len(keys) <= TAIL_LINES and "目" not in tail:
        return found  # no 目录 line, so no table of contents
    found.update(find_toc(texts, keys))
    return found


def strip_boilerplate(
    lines: Sequence[Line], rules: BoilerplateRules | None = None, learned: frozenset[str] = frozenset()
) -> Stripped:
    """Keep the speech lines; remove boilerplate with a reason code; flag cut-off (paywalled) text.

    `learned` holds normalised lines that recur across a site (see `site_memory`).
    """
    rules = rules or load_boilerplate_rules()
    scanned = scan_lines(lines)
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
