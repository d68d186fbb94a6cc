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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from cleaners.chars import CJK
from cleaners.document import Line, Removal, Stripped

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

    def matches(self, key: str) -> bool:
        """True when the normalised line holds one of the phrases or patterns."""
        return self.any_rule.search(key) is not None

    @cached_property
    def any_rule(self) -> re.Pattern[str]:
        """Phrases and patterns as one expression: one scan of the line instead of dozens."""
        return any_of(self.all_patterns, self.phrases)

    @property
    def all_patterns(self) -> tuple[re.Pattern[str], ...]:
        """Patterns including the cut-off ones (a cut-off prompt is boilerplate too)."""
        return self.patterns + self.cut_off

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
        found = self.seen[key] = next((c for c in self.categories if c.matches(key)), None)
        return found

    def is_kept(self, key: str) -> bool:
        """True for salutations, closings and outline headings."""
        return self.any_keep.search(key) is not None

    def is_speech_title(self, key: str) -> bool:
        """True for lines shaped like a speech title."""
        return self.any_speech_title.search(key) is not None

    @cached_property
    def any_keep(self) -> re.Pattern[str]:
        return any_of(self.keep)

    @cached_property
    def any_speech_title(self) -> re.Pattern[str]:
        return any_of(self.speech_titles)


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


def is_speechlike(text: str) -> bool:
    """A real sentence: sentence-ending punctuation and at least 15 Chinese characters."""
    return bool(SENTENCE_END.search(text)) and len(CJK.findall(text)) >= 15


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


def find_edges(lines: Sequence[Line], keys: Sequence[str], rules: BoilerplateRules) -> tuple[int, int]:
    """Positions of the first and last clean speech paragraph; lines outside them are the edges."""
    anchors = [
        pos
        for pos, line in enumerate(lines)
        if len(line.text) >= ANCHOR_MIN_CHARS
        and is_speechlike(line.text)
        and not rules.category_for(keys[pos])
    ]
    return (anchors[0], anchors[-1]) if anchors else (len(lines), -1)


def find_running_headers(lines: Sequence[Line], keys: Sequence[str], rules: BoilerplateRules) -> set[str]:
    """Short non-sentence lines repeated within one document: PDF page headers and footers."""
    counts = Counter(
        key
        for line, key in zip(lines, keys, strict=True)
        if key and len(key) <= REPEAT_MAX_CHARS and not is_speechlike(line.text)
        and not rules.is_kept(key) and not rules.is_speech_title(key)
    )
    return {key for key, count in counts.items() if count >= REPEAT_MIN_COUNT}


def trim_length_marker(line: Line, rules: BoilerplateRules) -> tuple[Line, Removal | None]:
    """Cut a word count such as `(全文3623字)` off the end of a longer line, e.g. a title."""
    category = next((c for c in rules.categories if c.reason == "length_marker"), None)
    if category is None or len(line.text) < 8:
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
    line: Line, key: str, at_edge: bool, rules: BoilerplateRules, repeated: set[str], learned: frozenset[str]
) -> Category | str | None:
    """The category (or plain reason code) a line is removed for, or None to keep it."""
    if rules.is_kept(key):
        return None
    category = rules.category_for(key)
    if category is not None:
        speechlike = is_speechlike(line.text)
        if not speechlike or (at_edge and boilerplate_share(line.text, rules) >= 0.5):
            return category
        return None
    if is_nav_shaped(line.text):
        return "site_chrome"
    if rules.is_speech_title(key) or is_speechlike(line.text):
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
    keys = [normalize_for_matching(line.text) for line in lines]
    first, last = find_edges(lines, keys, rules)
    repeated = find_running_headers(lines, keys, rules)
    kept: list[Line] = []
    removed: list[Removal] = []
    paywalled = False
    for pos, (line, key) in enumerate(zip(lines, keys, strict=True)):
        if not key:
            kept.append(line)
            continue
        verdict = classify_line(line, key, not first <= pos <= last, rules, repeated, learned)
        if verdict is None:
            line, marker = trim_length_marker(line, rules)
            kept.append(line)
            removed.extend([marker] if marker else [])
            continue
        reason = verdict if isinstance(verdict, str) else verdict.reason
        paywalled = paywalled or (isinstance(verdict, Category) and verdict.cuts_off(key))
        removed.append(Removal(line.index, line.text, reason, "boilerplate"))
    return Stripped(lines=tuple(kept), removed=tuple(removed), paywalled=paywalled)
