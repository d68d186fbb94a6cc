"""Titles: what a title line looks like, how it is cleaned, joined and cut of site suffixes.

A title is a short line with no sentence end, often naming a genre (…上的讲话, 党课：…); it is
cleaned of site and column suffixes (`_公文范文网`, ` - 版块 - 论坛 - Powered by Discuz!`), length
notes (`（全文3623字）`), `（原标题：…）` and wrapping quotes, and joined when broken over two lines
(`在全市…` / `…会议上的讲话`, `政府工作报` / `告`, or a two-line main title above a ——subtitle).
Suffixes come from rules (`data/headings.yaml`) and from what the site memory learned recurs
after the first part of a site's page titles (`title_suffix_keys`, `strip_learned_suffixes`).

Every line is asked several times whether it could be a title (as a start candidate, as the line
after one, as half of a broken title), so the per-text checks keep their recent results.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from cleaners.chars import count_cjk
from cleaners.document import Line
from cleaners.headings import TEXT_CACHE, has_sentence_end, is_heading
from cleaners.opening_rules import (
    TitleRules,
    canon_text,
    is_header_line,
    is_salutation,
    is_subtitle,
    load_title_rules,
)

JOINING_ENDS = "的和与及为在对把从向给以之"  # a title line ending so goes on in the next line
QUOTES = {"《": "》", "“": "”", '"': '"', "「": "」", "『": "』", "‘": "’"}  # opening → closing
# Marks a title suffix among a site's learned keys (line keys never hold it: it counts as
# whitespace, which normalised lines lose).
TITLE_SUFFIX_KEY = "\x1f"
SUFFIX_SEPARATOR = re.compile(r"\s*(?:[_|｜]|--?|–)\s*")
MAX_SUFFIX_CHARS = 30
# A title broken inside a word leaves a short fragment on the next line (政府工作报 / 告).
FRAGMENT = re.compile(r"[\u4e00-\u9fff]{1,3}")


def strip_quotes(text: str) -> str:
    """Drop one pair of quotes or 《》 wrapping the whole text."""
    right = QUOTES.get(text[:1])
    if right and len(text) > 2 and text.endswith(right) and text.count(text[0]) == 1:
        return text[1:-1].strip()
    return text


@lru_cache(maxsize=TEXT_CACHE)
def clean_title(text: str, rules: TitleRules | None = None) -> str:
    """A title without site suffix (`_公文范文网`), length note (`（全文3623字）`) or wrapping quotes.

    Whitespace runs become one space. A site suffix is cut only when enough of a title is left.
    """
    rules = rules or load_title_rules()
    text = " ".join(text.split())
    if rules.cuttable.search(text) is None:
        return strip_quotes(text.strip(" 　:：-_|"))  # nothing a suffix or note rule needs
    cut = True
    while cut:
        cut = False
        for suffix in rules.site_suffixes:
            found = suffix.search(text)
            if found and count_cjk(text[: found.start()]) >= rules.min_cjk:
                text, cut = text[: found.start()].rstrip(), True
    for note in rules.notes:
        text = note.sub("", text)
    return strip_quotes(text.strip(" 　:：-_|"))


@lru_cache(maxsize=TEXT_CACHE)
def is_title_like(text: str, rules: TitleRules | None = None) -> bool:
    """True for a line that could be a title: short, no sentence end, not a heading or salutation.

    The cheap tests come first: most lines asked about are long body sentences. A sentence with
    nothing `clean_title` could cut (no suffix or note, which might hold its sentence end) keeps
    its sentence end when cleaned, so it is answered without cleaning it.
    """
    rules = rules or load_title_rules()
    if text.rstrip()[-1:] in ("：", ":"):
        return False  # a line leading into what follows (…通告如下：, 饮食调理要注意：), never a title
    if has_sentence_end(text) and rules.cuttable.search(text) is None:
        return False
    text = clean_title(text, rules)
    return (
        len(text) <= rules.max_chars
        and not has_sentence_end(text)
        and count_cjk(text) >= rules.min_cjk
        and text[-1] not in "，,、：:"
        and not is_salutation(text, rules)
        and not is_heading(text)
    )


def has_title_signal(text: str, rules: TitleRules | None = None) -> bool:
    """True when a title-like line names a genre (…讲话, 党课：…) or an occasion (在……上的)."""
    rules = rules or load_title_rules()
    text = clean_title(text, rules)
    return (
        text.endswith(rules.genres)
        or bool(rules.genre_prefix.match(text))
        or bool(re.match(r"在.+上的", text))
    )


def should_join(first: str, second: str, rules: TitleRules) -> bool:
    """True when two short title-like lines are one title broken in two (`在全市…` / `…会议上的讲话`).

    A ——subtitle is never the second half: it stays a header line of its own.
    """
    if first.endswith(rules.genres) or len(second) > 30 or second[:1] in "—－-":
        return False
    if first[-1] in JOINING_ENDS:
        return True
    if first.startswith("在") and "上的" not in first:
        return "上的" in second
    second_is_whole = second.startswith("在") or bool(rules.genre_prefix.match(second))
    return not has_title_signal(first, rules) and second.endswith(rules.genres) and not second_is_whole


@lru_cache(maxsize=TEXT_CACHE)
def find_marker_title(text: str, rules: TitleRules) -> str | None:
    """For a compilation marker line (范文一：…), the title on the same line ("" if none), else None."""
    text = text.strip()
    if rules.any_marker.match(text) is None:
        return None
    for marker in rules.markers:
        found = marker.match(text)
        if found:
            rest = found.group(1).strip()
            return rest if is_title_like(rest, rules) else ""
    return None


def title_span(lines: Sequence[Line], at: int, rules: TitleRules | None = None) -> tuple[str, int]:
    """The cleaned title at `at` and how many lines (1 or 2) it takes.

    The next line completes it when the title is broken over both (`在全市…` / `…会议上的讲话`,
    or `政府工作报` / `告`), or when both stand above a ——subtitle as a two-line main title
    (`高举…旗帜` / `为…而团结奋斗` / `——在…上的报告`), joined then with a space.
    """
    rules = rules or load_title_rules()
    title = clean_title(lines[at].text, rules)
    if at + 1 >= len(lines):
        return title, 1
    following = lines[at + 1].text.strip()
    if is_title_like(following, rules):
        second = clean_title(following, rules)
        if should_join(title, second, rules):
            return title + second, 2
        above_subtitle = at + 2 < len(lines) and is_subtitle(lines[at + 2].text, rules)
        if above_subtitle and not is_header_line(following, rules) and not has_title_signal(title, rules):
            return f"{title} {second}", 2
        return title, 1
    completes = FRAGMENT.fullmatch(following) and has_title_signal(title + following, rules)
    if completes and not has_title_signal(title, rules):
        return title + following, 2
    return title, 1


def join_title(lines: Sequence[Line], at: int, rules: TitleRules | None = None) -> str:
    """The cleaned title at `at`, joined with the next line when the title is broken over both."""
    return title_span(lines, at, rules)[0]


def title_suffix_keys(page_title: str | None) -> tuple[str, ...]:
    """Site-memory keys of the parts after the first of a page title (`题_栏目_站名`: 栏目, 站名):
    parts that recur across a site's pages are its column and site names.

    >>> [k.lstrip(TITLE_SUFFIX_KEY) for k in title_suffix_keys("某某会议召开_要闻 - 某某网")]
    ['要闻', '某某网']
    """
    parts = SUFFIX_SEPARATOR.split(page_title or "")[1:]
    keys = (canon_text(part) for part in parts)
    return tuple(TITLE_SUFFIX_KEY + key for key in keys if 0 < len(key) <= MAX_SUFFIX_CHARS)


def strip_learned_suffixes(title: str, learned: frozenset[str], rules: TitleRules | None = None) -> str:
    """The title without the trailing parts its site's pages share (learned by the site memory),
    while enough of a title is left."""
    rules = rules or load_title_rules()
    while learned:
        last = None
        for last in SUFFIX_SEPARATOR.finditer(title):  # noqa: B007 - the last one is wanted
            pass
        head = title[: last.start()].rstrip() if last else ""
        if last is None or TITLE_SUFFIX_KEY + canon_text(title[last.end() :]) not in learned:
            return title
        if count_cjk(head) < rules.min_cjk:
            return title
        title = head
    return title
