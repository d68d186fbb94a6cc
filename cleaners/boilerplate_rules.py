"""The boilerplate rules, read from `data/boilerplate.yaml` and laid out to be tried fast.

One `Category` per reason code holds its phrases and patterns (and flags: `cut_off` patterns mark
a paywall, `even_in_sentences` lets the shape alone decide, `tail_block` removes the rest of the
text too); `BoilerplateRules` holds them in match order with the lines never removed (`keep`)
and the speech-title shapes. Every line meets every rule, so the rules are laid out to be tried
fast (`rule_sets.AnyRule`), and verdicts per normalised line (`normalize_for_matching`) are
remembered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from cleaners.regex_needs import chars_every_match_has, needed_strings, needs_of_any, trigger_for
from cleaners.rule_sets import AnyRule

DEFAULT_RULES = Path(__file__).with_name("data") / "boilerplate.yaml"
SPECIAL_SECTIONS = ("keep", "speech_titles")
DIGIT = re.compile(r"\d")
# The ideographic space and the full-width ASCII forms, each with its NFKC form (see `nfkc`).
NARROW_FORMS = {c: unicodedata.normalize("NFKC", c) for c in map(chr, [0x3000, *range(0xFF01, 0xFF5F)])}
FULL_WIDTH = re.compile(f"[{re.escape(''.join(NARROW_FORMS))}]")
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
        holds = key.__contains__
        for chars in self.needs:  # noqa: SIM110 - a loop, not any(generator): it runs per line
            if all(map(holds, chars)):
                return True
        return False

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
        return bool(self.any_keep.test(key))

    def is_speech_title(self, key: str) -> bool:
        """True for lines shaped like a speech title."""
        return bool(self.any_speech_title.test(key))

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
    def tail_block_trigger(self) -> re.Pattern[str]:
        """Finds the strings of which every match of a tail-block rule holds one (finds anything
        when they are unknown): text in which it finds none opens no tail block."""
        patterns = [p for c in self.tail_blocks for p in c.all_patterns]
        phrases = [p for c in self.tail_blocks for p in c.phrases]
        return trigger_for(needs_of_any(needed_strings(*patterns), phrases))

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


def normalize_for_matching(text: str) -> str:
    """The matching key of a line: NFKC, lower case, no whitespace, every digit as 0.

    >>> normalize_for_matching("浏览量： 45"), normalize_for_matching("Ｖｉｐ专享")
    ('浏览量:00', 'vip专享')
    """
    folded = nfkc(text).casefold()
    return DIGIT.sub("0", "".join(folded.split()))


def normalize_lines(texts: Sequence[str]) -> list[str]:
    """`normalize_for_matching` of each text, each step run once over all of them.

    The texts are joined by NUL, which no step changes, drops or composes with (NFKC normalises
    either side of it on its own), so the joined key splits back into the lines' keys. Only the
    lines that need the full NFKC (`①`, `㈠`…) get it, one by one.

    >>> normalize_lines(["浏览量： 45", "", "①Ｖｉｐ"])
    ['浏览量:00', '', '0vip']
    """
    joined = "\0".join(texts)
    if not texts or joined.count("\0") != len(texts) - 1:
        return [normalize_for_matching(text) for text in texts]
    narrowed = narrow_full_width(joined)
    if not unicodedata.is_normalized("NFKC", narrowed):
        narrowed = "\0".join(map(nfkc, narrowed.split("\0")))
    return DIGIT.sub("0", "".join(narrowed.casefold().split())).split("\0")


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, faster for the usual Chinese line.

    Such a line is normalised but for its full-width punctuation. Swapping a character for its
    own NFKC form leaves the NFKC of the text unchanged, so the full-width forms are narrowed
    first, and the slow full normalisation runs only when a quick check says it still must.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    narrowed = narrow_full_width(text)
    if unicodedata.is_normalized("NFKC", narrowed):
        return narrowed
    return unicodedata.normalize("NFKC", narrowed)


def narrow_full_width(text: str) -> str:
    """The text with the ideographic space and full-width ASCII forms in their NFKC forms.

    A text holds few distinct ones but many of each (every ，), so each form found is replaced
    throughout at once and the search goes on from it: one search per distinct form, not a match
    per occurrence. Each form narrows to one character, so the positions stay as they were.
    """
    found = FULL_WIDTH.search(text)
    while found:
        char = found.group()
        text = text.replace(char, NARROW_FORMS[char])
        found = FULL_WIDTH.search(text, found.start() + 1)
    return text


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
