"""What a regular expression needs of a text, read from Python's own parse of it.

Rules are tried on every line, and most lines hold nothing a rule could match. Knowing from a
rule's pattern what any match must contain lets a stage skip the rule with one cheap scan:

* `needed_strings` and `trigger_for` (punctuation): strings of which every match holds one;
* `chars_every_match_has` and `is_anchored` (boilerplate): characters every match holds, and
  whether a pattern can only match at the start.

The parse is `re`'s own (`re._parser`, a private module): whatever it returns that is not
understood here counts as needing nothing, so a rule is then always tried, never wrongly skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:
    from re import _parser as _sre  # Python 3.11 and later
except ImportError:  # Python 3.10
    import sre_parse as _sre

# A character class wider than this (the ideographs) is too common to tell a rule to run.
MAX_TRIGGER_CLASS = 64
# Strings of which any text a rule can change holds one; None when that is not known.
Needs = tuple[str, ...] | None


def is_anchored(pattern: re.Pattern[str]) -> bool:
    """True when the pattern can only match at the start of the text (it begins with `^`).

    >>> is_anchored(re.compile(r"^第\\d+页")), is_anchored(re.compile("^copyright|©"))
    (True, False)
    """
    if pattern.flags & re.MULTILINE:
        return False
    parsed = _sre.parse(pattern.pattern, pattern.flags)
    return len(parsed) > 0 and parsed[0] == (_sre.AT, _sre.AT_BEGINNING)


def chars_every_match_has(pattern: re.Pattern[str]) -> frozenset[str]:
    """Characters that every text the pattern matches contains (none claimed if it ignores case).

    >>> sorted(chars_every_match_has(re.compile(r"^(全文|本文)约?\\d+字$")))
    ['字', '文']
    """
    if pattern.flags & re.IGNORECASE:
        return frozenset()
    return required_literals(_sre.parse(pattern.pattern, pattern.flags))


def required_literals(items: Iterable[tuple]) -> frozenset[str]:
    """Literal characters on every path through a parsed expression; unknown parts need none."""
    found: set[str] = set()
    for op, arg in items:
        if op == _sre.LITERAL:
            found.add(chr(arg))
        elif op == _sre.SUBPATTERN and not arg[1] & re.IGNORECASE:  # (group, flags on, off, body)
            found |= required_literals(arg[3])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and arg[0] >= 1:  # (min, max, body)
            found |= required_literals(arg[2])
        elif op == _sre.BRANCH:  # (None, alternatives)
            found |= frozenset.intersection(*map(required_literals, arg[1]))
    return frozenset(found)


def trigger_for(needs: Needs) -> re.Pattern[str]:
    """A pattern that finds one of the needed strings, or finds any text when needs are unknown.

    A rule tests its trigger before its own pattern: one scan for plain strings is cheap, while a
    pattern such as `。{3,}|．{3,}` is tried at every position of the line.

    >>> [bool(trigger_for(("--", "—")).search(text)) for text in ("a-b", "a--b", "a—b")]
    [False, True, True]
    """
    return re.compile("" if needs is None else "|".join(map(re.escape, needs)))


def needed_strings(*patterns: re.Pattern[str]) -> Needs:
    """Strings of which every text one of `patterns` matches in holds one; None if unknown.

    A rule built on these patterns leaves text holding none of them unchanged, so such text skips
    the rule (see `trigger_for`). The strings are what every match must contain (`。。。` for `。{3,}`);
    a pattern whose needs are unknown (case folding, `.`, `\\d`…) gives None.

    >>> needed_strings(re.compile("。{3,}|．{3,}"), re.compile("^[一二三][.．](?=[^.．])"))
    ('.', '。。。', '．')
    >>> needed_strings(re.compile(r"\\d+")) is None
    True
    """
    return needs_of_any(*map(_pattern_needs, patterns))


def needs_of_any(*needs: Needs | Iterable[str]) -> Needs:
    """What any of several rules needs: every string, less those holding another one.

    >>> needs_of_any(("...", "…"), (".", "——"))
    ('.', '——', '…')
    """
    if None in needs:
        return None
    strings = set().union(*needs)
    return tuple(sorted(s for s in strings if not any(other in s for other in strings - {s})))


def _pattern_needs(pattern: re.Pattern[str]) -> frozenset[str] | None:
    if pattern.flags & re.IGNORECASE:
        return None  # its literals do not say which case matches
    return _needed_in(_sre.parse(pattern.pattern, pattern.flags))


def _needed_in(sequence: list) -> frozenset[str] | None:
    """Strings of which every match of a parsed sequence holds one, the rarest offered.

    Each item that always consumes text offers strings; zero-width items (anchors, lookarounds)
    and those not understood offer none. Longer strings are rarer, then fewer of them.
    """
    offers = [needed for op, arg in sequence if (needed := _needed_in_item(op, arg)) is not None]
    offers += [frozenset({run}) for run in _literal_runs(sequence)]
    return max(offers, key=lambda strings: (min(map(len, strings)), -len(strings)), default=None)


def _literal_runs(sequence: list) -> list[str]:
    """The runs of plain characters in a parsed sequence (`www.` in `www\\.[a-z]+`)."""
    runs, run = [], ""
    for op, arg in [*sequence, (None, None)]:
        if op == _sre.LITERAL:
            run += chr(arg)
        elif run:
            runs.append(run)
            run = ""
    return runs


def _needed_in_item(op: object, arg: object) -> frozenset[str] | None:
    """Strings of which every match of one parsed item holds one; None when it may hold none."""
    if op == _sre.LITERAL:
        return frozenset({chr(arg)})
    if op == _sre.IN:
        if any(kind not in (_sre.LITERAL, _sre.RANGE) for kind, _ in arg):
            return None  # negated, or a category such as \\d
        spans = [(value, value) if kind == _sre.LITERAL else value for kind, value in arg]
        if sum(hi - lo + 1 for lo, hi in spans) > MAX_TRIGGER_CLASS:
            return None
        return frozenset(chr(c) for lo, hi in spans for c in range(lo, hi + 1))
    if op == _sre.SUBPATTERN:
        _, add_flags, _, sequence = arg
        return None if add_flags & re.IGNORECASE else _needed_in(sequence)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        least, _, sequence = arg
        if least and len(sequence) == 1 and sequence[0][0] == _sre.LITERAL:
            return frozenset({chr(sequence[0][1]) * least})  # 。{3,} holds 。。。
        return _needed_in(sequence) if least else None
    if op == _sre.BRANCH:
        alternatives = [_needed_in(sequence) for sequence in arg[1]]
        return None if None in alternatives else frozenset().union(*alternatives)
    return None
