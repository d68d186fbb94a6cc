"""The punctuation table: `data/punctuation.yaml` read into the rules `punctuation` applies.

A table entry is data a user extends (a new substitution, a bracket pair, a quote style); this
module compiles it once per file, with the triggers that let a rule skip a line quickly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from cleaners.regex_needs import Needs, needed_strings, needs_of_any, trigger_for
from cleaners.settings import DATA_DIR


@dataclass(frozen=True)
class Substitution:
    """A whole-form rewrite (`...` → `……`); with `chinese_only`, only where it touches Chinese.

    `trigger` finds what every match of `pattern` holds (see `needed_strings`).
    """

    name: str
    pattern: re.Pattern[str]
    replacement: str
    trigger: re.Pattern[str]
    chinese_only: bool = False


@dataclass(frozen=True)
class BracketPair:
    """A half-width bracket pair and the full-width pair it becomes around Chinese."""

    half_open: str
    half_close: str
    full_open: str
    full_close: str

    @cached_property
    def any_form(self) -> re.Pattern[str]:
        forms = self.half_open + self.full_open + self.half_close + self.full_close
        return re.compile(f"[{re.escape(forms)}]")


@dataclass(frozen=True)
class QuoteStyle:
    """Curly open and close quotes, and the straight forms that stand for either."""

    open: str
    close: str
    straight: str

    @cached_property
    def any_form(self) -> re.Pattern[str]:
        return re.compile(f"[{re.escape(self.open + self.close + self.straight)}]")


@dataclass(frozen=True)
class PunctuationTable:
    """The rules of `cleaners/data/punctuation.yaml`, compiled (see that file for each field).

    `translatable`, `protect_trigger`, `fix_trigger`, `substitution_trigger` and `quote_forms`
    find what the translation, the protected spans, the mark rules, the substitutions and the
    quote pairing act on (see `needed_strings`): a line they find nothing in skips those rules.
    """

    ideograph: re.Pattern[str]
    chinese: re.Pattern[str]
    fullwidth_marks: frozenset[str]
    soft_marks: frozenset[str]
    soft_text: str
    translate: dict[int, str]
    translatable: re.Pattern[str]
    protect: re.Pattern[str]
    protect_trigger: re.Pattern[str]
    substitutions: tuple[Substitution, ...]
    substitution_trigger: re.Pattern[str]
    marks: dict[int, str]
    half_marks: str  # the keys of `marks`: a line holding none of them skips `mark_run`
    mark_run: re.Pattern[str]
    # Per half-width mark: its run of one right after a Chinese character (which touches Chinese,
    # so it is widened), and its full-width form; see `punctuation._fix_marks`.
    lone_marks: tuple[tuple[str, re.Pattern[str], str], ...]
    period_run: re.Pattern[str]
    half_period: str  # what `period_run` looks for, and `period` the full-width form it becomes
    period: str
    brackets: tuple[BracketPair, ...]
    fix_trigger: re.Pattern[str]
    double: QuoteStyle
    single: QuoteStyle
    quote_forms: re.Pattern[str]
    collapse: re.Pattern[str]
    # Finds anything a rule above acts on (a space for the spacing rules, a doubled mark for
    # `collapse`): a line holding none of it is left as it is.
    actionable: re.Pattern[str]


@lru_cache(maxsize=8)
def load_punctuation_table(path: Path | None = None) -> PunctuationTable:
    """Read and compile a punctuation table, once per path; default: the one in `cleaners/data/`."""
    raw = yaml.safe_load((path or DATA_DIR / "punctuation.yaml").read_text(encoding="utf-8"))
    ideographs, fullwidth = raw["ideographs"], raw["fullwidth_marks"]
    translate = {ord(space): " " for space in raw["spaces"]}
    dot = re.escape(raw["period"][0])
    for wide, narrow in raw["translate"].items():
        translate.update(str.maketrans(wide, narrow))
    protect = re.compile("(" + "|".join(f"(?:{p})" for p in raw["protect"]) + ")")
    substitutions = tuple(_substitution(s) for s in raw["substitutions"])
    # Both open with the character they look for, which lets the regex engine skip straight to it
    # (it cannot for `[…]+` or a lookbehind). A period run: one dot not after another, at most
    # one more, then no dot, letter or digit.
    marks = f"[{re.escape(''.join(raw['marks']))}]"
    mark_run = re.compile(f"{marks}{marks}*")
    chinese = f"[{ideographs}{re.escape(fullwidth)}]"
    lone_marks = tuple(
        (half, re.compile(f"{re.escape(half)}(?<={chinese}{re.escape(half)})(?!{marks})"), re.escape(full))
        for half, full in raw["marks"].items()
        if len(full) == 1
    )
    period_run = re.compile(f"{dot}(?<!{dot}{dot}){dot}?(?![{dot}A-Za-z0-9])")
    brackets = tuple(BracketPair(*pair) for pair in raw["brackets"])
    halves = tuple(form for b in brackets for form in (b.half_open, b.half_close))
    fix_patterns = (*(s.pattern for s in substitutions), mark_run, period_run)
    fix_needs = needs_of_any(needed_strings(*fix_patterns), halves)
    quotes = raw["quotes"]["double"] + raw["quotes"]["single"]
    doubled = [mark * 2 for mark in raw["collapse"]]
    actionable = needs_of_any(fix_needs, map(chr, translate), "".join(quotes), doubled, " ")
    return PunctuationTable(
        ideograph=re.compile(f"[{ideographs}]"),
        chinese=re.compile(chinese),
        fullwidth_marks=frozenset(fullwidth),
        soft_marks=frozenset(raw["soft_marks"]),
        soft_text=raw["soft_marks"],
        translate=translate,
        translatable=re.compile(f"[{re.escape(''.join(map(chr, translate)))}]"),
        protect=protect,
        protect_trigger=finder_for(needed_strings(protect)),
        substitutions=substitutions,
        substitution_trigger=finder_for(needed_strings(*(s.pattern for s in substitutions))),
        marks=str.maketrans(raw["marks"]),
        half_marks="".join(raw["marks"]),
        mark_run=mark_run,
        lone_marks=lone_marks,
        period_run=period_run,
        half_period=raw["period"][0],
        period=raw["period"][1],
        brackets=brackets,
        fix_trigger=finder_for(fix_needs),
        double=QuoteStyle(*raw["quotes"]["double"]),
        single=QuoteStyle(*raw["quotes"]["single"]),
        quote_forms=re.compile(f"[{re.escape(''.join(quotes))}]"),
        collapse=re.compile(f"([{re.escape(raw['collapse'])}])\\1+"),
        actionable=finder_for(actionable),
    )


def _substitution(entry: dict) -> Substitution:
    pattern = re.compile(entry["pattern"], re.M)
    return Substitution(entry["name"], pattern, entry["replacement"], finder_for(needed_strings(pattern)),
                        entry.get("chinese_only", False))


def finder_for(needs: Needs) -> re.Pattern[str]:
    """`trigger_for`, built to stop cheaply at the characters Chinese text is full of.

    Needs such as `，，` (for `collapse`) begin with `，` and `。`, which most positions of a Chinese
    line hold. The engine skips ahead to a possible first character either way; at each such
    position `trigger_for`'s pattern tries its alternatives one by one (a hundred for
    `actionable`), this one tests one character class and then, per longer need, the character
    after: `[…，](?:(?<=[…])|，(?<=，，)|…)`, which costs the stage an eighth fewer instructions.

    >>> [bool(finder_for(("，，", "(")).search(text)) for text in ("我，们。", "我，，们", "a(b")]
    [False, True, True]
    """
    if needs is None or "" in needs:
        return trigger_for(needs)  # a trigger that always finds
    singles = "".join(sorted(need for need in needs if len(need) == 1))
    longer = sorted(need for need in needs if len(need) > 1)
    firsts = "".join(sorted({need[0] for need in longer}))
    tests = [f"(?<=[{re.escape(singles)}])"] if singles else []
    tests += [re.escape(need[1:]) + f"(?<={re.escape(need)})" for need in longer]
    return re.compile(f"[{re.escape(singles + firsts)}](?:{'|'.join(tests)})")
