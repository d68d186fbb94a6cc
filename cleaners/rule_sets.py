"""Rules tried on every line, laid out to be tried fast: `AnyRule` says whether any of a set of
phrases and patterns matches a line's matching key.

Every line of every input meets every boilerplate rule, and most match none, so the work is in
ruling a line out: anchored patterns are tried only when they can begin with the line's first
character, and one scan for what the other rules need rules out the usual line (`regex_needs`
reads what each pattern needs from its parse).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from cleaners.regex_needs import (
    chars_every_match_has,
    first_char_class,
    is_anchored,
    needed_strings,
    needs_of_any,
    trigger_for,
)

FIRST_CHARS_MAX = 20_000  # first characters whose anchored patterns are remembered
# Anchored patterns up to this many are tried joined: as fast as choosing them by first character.
JOINED_MAX = 8


@dataclass(frozen=True)
class AnyRule:
    """Phrases and patterns laid out to be tried fast, since every line meets every rule.

    Patterns anchored with `^` are tried at the start of the line only: joined into one
    expression when they are few, chosen by the line's first character when many
    (`AnchoredRules`). Any other match needs one of a set of strings (the phrases, and what each
    pattern needs: `needed_strings`), which one scan (`trigger`) finds: the usual line holds none,
    and is done. Otherwise the phrases form one expression and the patterns are tried one by one:
    joined into one expression they would lose the regex engine's shortcuts (skipping to a
    pattern's leading literal), which costs more.
    """

    anchored: Callable[[str], object]
    trigger: Callable[[str], object]
    tests: tuple[Callable[[str], object], ...]
    # Floating patterns with the characters each match must hold: one `in` test skips most.
    guarded: tuple[tuple[str, Callable[[str], re.Match[str] | None]], ...] = ()

    @classmethod
    def build(cls, patterns: Sequence[re.Pattern[str]], phrases: Sequence[str] = ()) -> AnyRule:
        anchored = tuple(p for p in patterns if is_anchored(p) and first_char_class(p) is not None)
        floating = [p for p in patterns if p not in anchored]
        tests: list[Callable[[str], object]] = [any_of([], phrases).search] if phrases else []
        guarded = []
        for p in floating:
            # `^.{0,12}欢迎`, whose first character is unknown, is guarded like a floating pattern
            test = p.match if is_anchored(p) else p.search
            # the highest code point: an ideograph rather than a ':' that most lines hold
            guard = max(chars_every_match_has(p), default="")
            if guard:
                guarded.append((guard, test))
            else:
                tests.append(triggered(p, test))
        needs = needs_of_any(needed_strings(*floating), phrases)
        return cls(
            anchored=AnchoredRules(anchored).match if len(anchored) > JOINED_MAX else joined_match(anchored),
            trigger=trigger_for(needs).search if floating or phrases else never,
            tests=tuple(tests),
            guarded=tuple(guarded),
        )

    @cached_property
    def test(self) -> Callable[[str], object]:
        """`found_in` as one callable (truthy when a rule matches): the anchored patterns' own
        test when there is nothing else to try, which spares a call per line."""
        return self.anchored if self.trigger is never else self.found_in

    def found_in(self, key: str) -> bool:
        """True when any phrase or pattern matches in the key."""
        if self.anchored(key):
            return True
        if not self.trigger(key):
            return False
        for test in self.tests:  # noqa: SIM110 - a loop, not any(generator): it runs per line and rule
            if test(key):
                return True
        for guard, search in self.guarded:  # noqa: SIM110 - as above
            if guard in key and search(key):
                return True
        return False


def triggered(pattern: re.Pattern[str], test: Callable[[str], object]) -> Callable[[str], object]:
    """`test`, tried only on keys holding one of the strings every match needs (when known):
    `(记者|通讯员)` needs no one character, but one of two words."""
    needs = needed_strings(pattern)
    if needs is None:
        return test
    trigger = trigger_for(needs).search
    return lambda key: trigger(key) is not None and test(key)


@dataclass(frozen=True)
class AnchoredRules:
    """Patterns anchored at the start of the line, tried by the line's first character.

    A joined expression of fifty patterns tries each of them at the start of every line (the
    regex engine has no shortcut for a branch opening with `^(…)?`). Most lines begin with a
    character that no pattern can begin with (`first_char_class`), so per first character the
    patterns that can are joined once and kept: most lines then need no match at all.
    """

    patterns: tuple[re.Pattern[str], ...]
    by_first: dict[str, Callable[[str], re.Match[str] | bool | None]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property
    def first_classes(self) -> tuple[re.Pattern[str] | None, ...]:
        return tuple(map(first_char_class, self.patterns))

    def match(self, key: str) -> re.Match[str] | bool | None:
        """A match of one of the patterns at the start of the key (falsy when none matches)."""
        test = self.by_first.get(key[:1])
        if test is None:
            test = self.joined_for(key[:1])
        return test(key)

    def joined_for(self, first: str) -> Callable[[str], re.Match[str] | bool | None]:
        """The joined patterns that can match a text opening with `first` ("": the empty text)."""
        if len(self.by_first) >= FIRST_CHARS_MAX:
            self.by_first.clear()
        chosen = [
            p for p, first_class in zip(self.patterns, self.first_classes, strict=True)
            if first_class is None or (first and first_class.match(first))
        ]
        test = self.by_first[first] = joined_match(tuple(chosen))
        return test


@lru_cache(maxsize=256)
def joined_match(patterns: tuple[re.Pattern[str], ...]) -> Callable[[str], re.Match[str] | bool | None]:
    """The `match` of the patterns joined (shared by the first characters that choose them)."""
    return any_of(patterns).match if patterns else never


def never(key: str) -> bool:
    """No pattern can match."""
    return False


def any_of(patterns: Sequence[re.Pattern[str]], phrases: Sequence[str] = ()) -> re.Pattern[str]:
    """One expression matching where any of the patterns or literal phrases matches.

    >>> any_of([re.compile(r"\\d+字")], ["浏览"]).search("全文300字") is not None
    True
    """
    alternatives = [re.escape(p) for p in phrases] + [f"(?:{p.pattern})" for p in patterns]
    return re.compile("|".join(alternatives) or "(?!)")
