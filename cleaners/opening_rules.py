"""What the lines before a speech body look like: the title rules, header lines and salutations.

Header lines (a date, a dated note, a speaker or office, a ——subtitle, a document number) sit
between the title and the salutation (同志们：) that opens the body. How a title is picked and
cleaned is in cleaners.titles and cleaners.opening; the patterns live in `data/headings.yaml`
beside the heading ladder's (`cleaners.headings`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cleaners.boilerplate_rules import nfkc
from cleaners.headings import RULES_PATH, TEXT_CACHE, read_rules
from cleaners.regex_needs import needed_strings, trigger_for

# What str.isalnum() rejects: \W is everything but letters, digits and "_".
NOT_ALNUM = re.compile(r"[\W_]+")
# Header line kinds in the order TitleRules.header holds them.
HEADER_KINDS = ("date", "dated_note", "speaker", "subtitle", "position", "doc_number")


def header_kinds(*names: str) -> tuple[int, ...]:
    """Positions of the named header kinds in HEADER_KINDS (what `is_header_line` takes).

    >>> header_kinds("speaker", "doc_number")
    (2, 5)
    """
    return tuple(HEADER_KINDS.index(name) for name in names)


# Kinds that mark the line above them as a title: a speaker's name or office may follow any line.
TITLE_MARKING = header_kinds("date", "dated_note", "subtitle", "doc_number")
SUBTITLE = header_kinds("subtitle")


@dataclass(frozen=True, eq=False)
class TitleRules:
    """What titles, salutations, header lines and compilation markers look like.

    Compared and hashed by identity: loaded once per file, they are part of the per-text checks'
    cache keys, where hashing every field on each call would cost more than the check itself.
    """

    genres: tuple[str, ...]
    genre_prefix: re.Pattern[str]
    site_suffixes: tuple[re.Pattern[str], ...]
    notes: tuple[re.Pattern[str], ...]
    max_chars: int
    min_cjk: int
    salutation: re.Pattern[str]
    markers: tuple[re.Pattern[str], ...]
    # All markers as one alternation: most lines open no compilation piece, and one failed
    # match costs less than one per marker.
    any_marker: re.Pattern[str]
    header: tuple[re.Pattern[str], ...]
    letterhead: re.Pattern[str]
    # Finds what some site suffix or note needs (`needed_strings`): a text holding none of it has
    # nothing for `titles.clean_title` to cut.
    cuttable: re.Pattern[str]


@lru_cache(maxsize=8)
def load_title_rules(path: Path = RULES_PATH) -> TitleRules:
    """Title, salutation, marker and header rules from the rules file."""
    raw = read_rules(path)
    titles, header = raw["titles"], raw["header"]
    site_suffixes = tuple(re.compile(p) for p in titles["site_suffixes"])
    notes = tuple(re.compile(p) for p in titles["notes"])
    return TitleRules(
        genres=tuple(sorted(titles["genres"], key=len, reverse=True)),
        genre_prefix=re.compile(titles["genre_prefix"]),
        site_suffixes=site_suffixes,
        notes=notes,
        max_chars=int(titles["max_chars"]),
        min_cjk=int(titles["min_cjk"]),
        salutation=re.compile(raw["salutation"]),
        markers=tuple(re.compile(p) for p in raw["compilation_markers"]),
        any_marker=re.compile("|".join(f"(?:{p})" for p in raw["compilation_markers"])),
        header=tuple(re.compile(header[k]) for k in HEADER_KINDS),
        letterhead=re.compile(titles["letterhead"]),
        cuttable=trigger_for(needed_strings(*site_suffixes, *notes)),
    )


@lru_cache(maxsize=TEXT_CACHE)
def canon_text(text: str) -> str:
    """Ideographs, letters and digits only: the form in which two renderings of a title compare."""
    return NOT_ALNUM.sub("", nfkc(text))


def is_salutation(text: str, rules: TitleRules | None = None) -> bool:
    """True for a standalone salutation line such as `同志们：`."""
    rules = rules or load_title_rules()
    return bool(rules.salutation.match(text.strip()))


def is_header_line(text: str, rules: TitleRules | None = None, kinds: tuple[int, ...] | None = None) -> bool:
    """True for a date, speaker, office, ——subtitle or document-number line between a title and
    its body (only the header kinds at positions `kinds` of HEADER_KINDS, when given)."""
    rules = rules or load_title_rules()
    text = text.strip()
    return bool(text) and len(text) <= rules.max_chars and bool(header_pattern(rules, kinds).match(text))


@lru_cache(maxsize=64)
def header_pattern(rules: TitleRules, kinds: tuple[int, ...] | None) -> re.Pattern[str]:
    """The header patterns of these kinds (all when None) as one alternation."""
    patterns = rules.header if kinds is None else [rules.header[k] for k in kinds]
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


def marks_title(text: str, rules: TitleRules) -> bool:
    """True for a header line that shows the line above it is a title: a date, dated note,
    ——subtitle or document number (a name or office may follow any line)."""
    return is_header_line(text, rules, TITLE_MARKING)


def is_subtitle(text: str, rules: TitleRules) -> bool:
    """True for a ——subtitle line."""
    return is_header_line(text, rules, SUBTITLE)


def is_letterhead(text: str, rules: TitleRules) -> bool:
    """True for an issuing authority's letterhead over an official document (中共某某县委文件).

    >>> rules = load_title_rules()
    >>> is_letterhead("某某市人民政府办公室文件", rules), is_letterhead("关于成立某某委员会的通知", rules)
    (True, False)
    """
    return rules.letterhead.match(text.strip()) is not None
