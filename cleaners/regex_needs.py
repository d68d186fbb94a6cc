"""What a regular expression needs of a text, read from Python's own parse of it.

Rules are tried on every line, and most lines hold nothing a rule could match. Knowing from a
rule's pattern what any match must contain lets a stage skip the rule with one cheap scan:

* `needed_strings` and `trigger_for` (punctuation): strings of which every match holds one;
* `chars_every_match_has`, `is_anchored` and `first_char_class` (boilerplate): characters every
  match holds, whether a pattern can only match at the start, and what its first character can be.

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
MAX_SPELLINGS = 32  # a run of plain text is spelt out in at most this many ways
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


# The character categories a class may hold, written back as they are in a pattern.
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


def first_char_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A class matching every character the pattern's matches can start with (a `^` anchored
    pattern: the first character of the text); None when unknown or when it can match nothing.

    Zero-width items (anchors, lookarounds) are looked through, so the class may be wider than
    needed, never narrower.

    >>> first_char_class(re.compile(r"^(本文)?来源[:]")).pattern, first_char_class(re.compile(r"^x?"))
    ('[本来]', None)
    """
    parts = _first_parts(_sre.parse(pattern.pattern, pattern.flags))
    if parts is None or parts[1]:
        return None
    return re.compile(f"[{''.join(sorted(parts[0]))}]", pattern.flags & (re.IGNORECASE | re.ASCII))


def _first_parts(sequence: Iterable[tuple]) -> tuple[set[str], bool] | None:
    """The class parts (escaped characters, ranges, categories) that a parsed sequence's matches
    start with, and whether it can match the empty text; None when unknown."""
    parts: set[str] = set()
    for op, arg in sequence:
        if op in _ZERO_WIDTH:
            continue
        found = _first_parts_of_item(op, arg)
        if found is None:
            return None
        parts |= found[0]
        if not found[1]:
            return parts, False
    return parts, True


def _first_parts_of_item(op: object, arg: object) -> tuple[set[str], bool] | None:
    if op == _sre.LITERAL:
        return {re.escape(chr(arg))}, False
    if op == _sre.IN:
        parts = set()
        for kind, value in arg:
            if kind == _sre.LITERAL:
                parts.add(re.escape(chr(value)))
            elif kind == _sre.RANGE:
                parts.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind == _sre.CATEGORY and value in _CATEGORIES:
                parts.add(_CATEGORIES[value])
            else:
                return None  # a negated class
        return parts, False
    if op == _sre.SUBPATTERN:
        _, add_flags, del_flags, sequence = arg
        return None if add_flags or del_flags else _first_parts(sequence)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        least, _, sequence = arg
        found = _first_parts(sequence)
        return None if found is None else (found[0], found[1] or not least)
    if op == _sre.BRANCH:
        alternatives = [_first_parts(sequence) for sequence in arg[1]]
        if None in alternatives:
            return None
        return set().union(*(a[0] for a in alternatives)), any(a[1] for a in alternatives)
    return None


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
    pattern such as `。{3,}|．{3,}` is tried at every position of the line. The strings are laid
    out as a tree of shared beginnings (`来源|来稿` as `来(?:源|稿)`): at a position holding a
    first character, the engine then tries one branch per next character, not one per string.

    >>> [bool(trigger_for(("--", "—")).search(text)) for text in ("a-b", "a--b", "a—b")]
    [False, True, True]
    >>> trigger_for(("来源", "来稿", "来源:", "摄")).pattern
    '(?:摄|来(?:源|稿))'
    """
    strings = set(needs or ("",))  # unknown (or no) needs: a trigger that always finds
    return re.compile(_prefix_tree(strings))


def _prefix_tree(strings: set[str]) -> str:
    """An expression finding one of the strings; a string another one begins with stands for both."""
    if "" in strings:
        return ""
    branches: dict[str, set[str]] = {}
    for string in strings:
        branches.setdefault(string[0], set()).add(string[1:])
    # Every branch opens with a literal: from those `re` builds the set of first characters it
    # skips ahead to (a character class among them would make it try every position).
    alternatives = [re.escape(first) + _prefix_tree(rests) for first, rests in sorted(branches.items())]
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"


def needed_strings(*patterns: re.Pattern[str]) -> Needs:
    """Strings of which every text one of `patterns` matches in holds one; None if unknown.

    A rule built on these patterns leaves text holding none of them unchanged, so such text skips
    the rule (see `trigger_for`). The strings are what every match must contain (`。。。` for `。{3,}`);
    a pattern whose needs are unknown (case folding, `.`, `\\d`…) gives None.

    >>> needed_strings(re.compile("。{3,}|．{3,}"), re.compile("^[一二][.．](?=[^.．])"))
    ('。。。', '一.', '一．', '二.', '二．', '．．．')
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
    offers += _literal_runs(sequence)
    return max(offers, key=lambda strings: (min(map(len, strings)), -len(strings)), default=None)


def _literal_runs(sequence: list) -> list[frozenset[str]]:
    """The runs of plain text in a parsed sequence, each as the ways it can be spelt: `www.` in
    `www\\.[a-z]+`; `责任编辑:` or `责编:` in `(责任编辑|责编)[:]`, where `责` alone is common."""
    runs, run = [], {""}
    for op, arg in [*sequence, (None, None)]:
        spellings = _spellings(op, arg)
        if spellings is not None and len(run) * len(spellings) <= MAX_SPELLINGS:
            run = {head + tail for head in run for tail in spellings}
            continue
        if "" not in run:
            runs.append(frozenset(run))
        run = spellings if spellings is not None else {""}
    return runs


def _spellings(op: object, arg: object) -> set[str] | None:
    """The texts one parsed item matches, when they are a few plain strings (else None)."""
    if op == _sre.LITERAL:
        return {chr(arg)}
    if op == _sre.IN and len(arg) <= MAX_SPELLINGS and all(kind == _sre.LITERAL for kind, _ in arg):
        return {chr(value) for _, value in arg}
    if op == _sre.SUBPATTERN and not arg[1] and not arg[2]:  # (group, flags on, off, body)
        return _sequence_spellings(arg[3])
    if op == _sre.BRANCH:
        alternatives = [_sequence_spellings(sequence) for sequence in arg[1]]
        return None if None in alternatives else set().union(*alternatives)
    if op == _sre.MAX_REPEAT and arg[:2] == (0, 1):  # an optional part: x?
        optional = _sequence_spellings(arg[2])
        return None if optional is None else optional | {""}
    return None


def _sequence_spellings(sequence: list) -> set[str] | None:
    """The texts a parsed sequence matches, when they are a few plain strings (else None)."""
    texts = {""}
    for op, arg in sequence:
        spellings = _spellings(op, arg)
        if spellings is None or len(texts) * len(spellings) > MAX_SPELLINGS:
            return None
        texts = {head + tail for head in texts for tail in spellings}
    return texts


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
