"""Section headings of a speech body: the numbering ladder, run-in markers, named sections.
The lines before a body (title rules, header lines, salutations) are in cleaners.opening_rules.

Speech bodies number their sections with a ladder: 一、 (level 1), （一） (2), 1. / 1、 (3),
（1） (4); a longer text in parts or chapters (第一部分, 第一章) puts those at level 1 and the
ladder one level deeper, and its named sections (导言, 结语) at level 1. A numbered line is a
heading only when it reads like one: short, and no sentence ends inside it, because
`（一）坚持问题导向。要……` is an ordinary paragraph that happens to be numbered.
Run-in markers (一要…, 一是…, 第一，…, 首先，…) open a heading only on a standalone short line
with no sentence-ending punctuation at all: the same markers open most list paragraphs. A marker
must open the line, so an enumeration inside a sentence (`思想上再统一、认识上再深化`) is never a
heading. The patterns live in `data/headings.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cleaners.chars import SENTENCE_END, count_cjk
from cleaners.document import Section
from cleaners.settings import DATA_DIR

RULES_PATH = DATA_DIR / "headings.yaml"
MAX_LEVEL = 4
MIN_EMPHASIZED_CJK = 4  # fewer Chinese characters in a bold line: a date, a name, a number
MAX_NAMED_CHARS = 8  # a longer line is no named section (导言, 结  语)
TEXT_CACHE = 4096  # how many recent texts the per-text checks remember
NO_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, eq=False)
class HeadingRules:
    """The heading forms and the length limits that tell a heading from a numbered paragraph.

    `numbered` holds the ladder markers (一、, （一）…) in the file's order as one alternation of
    named groups, so one match finds the first marker that opens a line; `levels` gives the
    heading level of each group; `run_in` is the run-in markers as one alternation. Compared and
    hashed by identity, like TitleRules.
    """

    numbered: re.Pattern[str]
    levels: Mapping[str, int]
    run_in: re.Pattern[str]
    named: re.Pattern[str]
    max_numbered_chars: int
    max_closed_numbered_chars: int
    max_run_in_chars: int

    @property
    def max_heading_chars(self) -> int:
        """The longest a line of any heading form can be: a longer line is a paragraph."""
        longest = (self.max_numbered_chars, self.max_closed_numbered_chars, self.max_run_in_chars)
        return max(*longest, MAX_NAMED_CHARS)


@lru_cache(maxsize=8)
def read_rules(path: Path = RULES_PATH) -> Mapping[str, Any]:
    """The parsed structure rules file (read once per path)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def load_heading_rules(path: Path = RULES_PATH) -> HeadingRules:
    """Heading rules from the `headings` part of the rules file."""
    raw = read_rules(path)["headings"]
    forms = {f"form{k}": form for k, form in enumerate(raw["numbered"])}
    return HeadingRules(
        numbered=re.compile("|".join(f"(?P<{name}>{form['pattern']})" for name, form in forms.items())),
        levels={name: int(form["level"]) for name, form in forms.items()},
        run_in=re.compile("|".join(f"(?:{p})" for p in raw["run_in"])),
        named=re.compile(raw["named"]),
        max_numbered_chars=int(raw["max_numbered_chars"]),
        max_closed_numbered_chars=int(raw["max_closed_numbered_chars"]),
        max_run_in_chars=int(raw["max_run_in_chars"]),
    )


def has_sentence_end(text: str) -> bool:
    """True when the text holds sentence-ending punctuation anywhere."""
    return SENTENCE_END.search(text) is not None


def has_inner_sentence_end(text: str) -> bool:
    """True when a sentence ends before the last character (`标题。正文…`)."""
    return has_sentence_end(text[:-1])


def numbered_level(text: str, rules: HeadingRules) -> int | None:
    """The ladder level of a numbered line that acts as a heading, else None.

    The first marker that opens the line decides; the line is no heading when it is too long, is
    the marker alone, ends like a clause, or holds a sentence end before its last character.
    """
    marker = rules.numbered.match(text)
    if not marker:
        return None
    limit = rules.max_closed_numbered_chars if text[-1] == "。" else rules.max_numbered_chars
    if (
        len(text) > limit
        or marker.end() >= len(text)
        or text[-1] in "，,、；;"
        or has_inner_sentence_end(text)
    ):
        return None
    return rules.levels[marker.lastgroup]


def is_run_in_heading(text: str, rules: HeadingRules) -> bool:
    """True for a standalone short run-in line (`一要提高政治站位，把好……`) with no sentence end."""
    if len(text) > rules.max_run_in_chars or has_sentence_end(text):
        return False
    return rules.run_in.match(text) is not None


def is_styled_heading(text: str, rules: HeadingRules) -> bool:
    """A line styled as a heading reads as one: short, no sentence inside, not a clause.

    >>> is_styled_heading("坚持人民至上", load_heading_rules())
    True
    """
    short = len(text) <= rules.max_numbered_chars
    return short and text[-1] not in "，,、；;" and not has_inner_sentence_end(text)


def is_emphasized_heading(text: str, rules: HeadingRules) -> bool:
    """A paragraph set all in bold reads as a subheading when it is short, holds no sentence end,
    does not end on a colon, comma or dash (a lead-in) and has some Chinese text (not a date).

    >>> rules = load_heading_rules()
    >>> is_emphasized_heading("扛稳粮食安全重任，加快建设农业强省", rules)
    True
    >>> is_emphasized_heading("要坚持问题导向。", rules), is_emphasized_heading("他表示：", rules)
    (False, False)
    """
    return (
        len(text) <= rules.max_run_in_chars
        and not has_sentence_end(text)
        and text[-1] not in "：:，,、—"
        and count_cjk(text) >= MIN_EMPHASIZED_CJK
    )


def is_named_section(text: str, rules: HeadingRules) -> bool:
    """A line naming a section of a longer text (导言, 结  语), spaces inside it aside.

    >>> rules = load_heading_rules()
    >>> is_named_section("结  语", rules), is_named_section("结语：我们要……", rules)
    (True, False)
    """
    return len(text) <= MAX_NAMED_CHARS and rules.named.match(NO_SPACE.sub("", text)) is not None


def is_heading(text: str, rules: HeadingRules | None = None) -> bool:
    """True when the line acts as a section heading of any form."""
    rules = rules or load_heading_rules()
    text = text.strip()
    return bool(text) and (
        numbered_level(text, rules) is not None
        or is_run_in_heading(text, rules)
        or is_named_section(text, rules)
    )


def build_sections(
    paragraphs: Sequence[str],
    rules: HeadingRules | None = None,
    styled: Sequence[int | None] = (),
    emphasized: Sequence[bool] = (),
) -> tuple[Section, ...]:
    """Group body paragraphs into flat sections in reading order; every paragraph is kept.

    Text before the first heading forms a level-0 section with heading None. A run-in heading
    sits one level below the numbered heading it follows (level 1 when there is none).
    `styled` gives, per paragraph, the heading level a document's style states (Word's
    Heading 1–4), which makes a short unnumbered line a heading; a marker's level wins.
    `emphasized` marks paragraphs set all in bold (a web page's subheadings): one that reads as
    a heading (`is_emphasized_heading`) is placed like a run-in heading. Parts or chapters
    (ladder level 0) take level 1 and push every numbered level one deeper; named sections
    (`is_named_section`) take level 1.
    """
    rules = rules or load_heading_rules()
    texts = [raw.strip() for raw in paragraphs]
    # Only short lines can be headings; most paragraphs are longer and need no test.
    longest = rules.max_heading_chars
    short = [at for at, text in enumerate(texts) if 0 < len(text) <= longest]
    found = {at: numbered_level(texts[at], rules) for at in short}
    deeper = 1 if 0 in found.values() else 0  # the text is in parts or chapters
    for at in short:
        if found[at] is None:
            if at < len(styled) and styled[at] and is_styled_heading(texts[at], rules):
                found[at] = styled[at]
            elif is_named_section(texts[at], rules):
                found[at] = 0
    headings = {
        at: found[at]
        for at in short
        if found[at] is not None
        or at < len(emphasized) and emphasized[at] and is_emphasized_heading(texts[at], rules)
        or is_run_in_heading(texts[at], rules)
    }
    return group_sections(texts, headings, deeper)


def group_sections(
    texts: Sequence[str], headings: Mapping[int, int | None], deeper: int
) -> tuple[Section, ...]:
    """Sections of the texts cut at the headings (position → ladder level, None for a run-in or
    bold heading, which sits one level below the ladder); empty texts are left out.

    `deeper` is 1 when the text is in parts or chapters, which push the ladder one level down.
    """
    sections: list[Section] = []
    level = ladder = 0
    heading: str | None = None
    begin = 0  # where the current section's paragraphs begin
    for at, numbered in headings.items():
        if heading is not None or any(texts[begin:at]):
            sections.append(Section(heading, level, tuple(filter(None, texts[begin:at]))))
        if numbered is not None:
            ladder = level = max(1, numbered + deeper)
        else:
            level = min(ladder + 1, MAX_LEVEL + deeper)
        heading, begin = texts[at], at + 1
    if heading is not None or any(texts[begin:]):
        sections.append(Section(heading, level, tuple(filter(None, texts[begin:]))))
    return tuple(sections)
