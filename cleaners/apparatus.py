"""Find the apparatus around a long text: a table of contents, an endnote list, a licence note.

Reports and white papers reach us with a table of contents before the text (目录 and the
headings again), a numbered list of notes after it ([1] 《…》，新华社，2021年7月1日。) and, from
wikis, a licence template appended at the end (本作品是…，属于公有领域。Public domain). None of it
is the text, but each of its lines can read like text, so they are found as blocks, by shape:

* `toc`: a 目录 line followed by short unpunctuated entries, most of which recur later as
  headings; a numbered list in a speech has no 目录 line before it and is never a TOC.
* `endnotes`: a run of at least `MIN_NOTES` bracket-numbered lines ([1], ［2］, 〔3〕) starting
  at 1, at the end of the text (page chrome after it aside); a lone footnote-like line inside
  a speech is not a list, and a list in mid-text is not at the end.
* tail blocks (`licence_note`): a line matching a `tail_block` rule among the last
  `TAIL_LINES` lines, with no salutation or closing after it, removes itself and all after it.

`find_apparatus` runs the three on the boilerplate stage's scanned lines; the finders take the
lines' matching keys (see `boilerplate.normalize_for_matching`) and texts, and return
`{position: reason}` for the lines to remove.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaners.boilerplate import BoilerplateRules, ScannedLine

TAIL_LINES = 80  # a licence note sits within this many lines of the end
MIN_NOTES = 3
TOC_HEADER = re.compile(r"^(本文|全文)?目(录|次)[:]?$")
TOC_ENTRY_MAX_CHARS = 40
TOC_MIN_ENTRIES = 3
TOC_RECUR_SHARE = 0.6  # this share of the entries must recur after the TOC
NOTE = re.compile(r"^\s*[\[［〔【]\s*(\d{1,3})\s*[\]］〕】]")
NOTES_HEADER = re.compile(r"^(注释|注|尾注|参考文献|参考资料|references|notes)[:]?$")
ENTRY_END = re.compile(r"[。！？；!?;，,]")
PAGE_NUMBER = re.compile(r"[.…·\-_0]+$")  # an entry's leader dots and page number (digits are 0)


def find_tail_block(
    keys: Sequence[str], starts_block: Callable[[str], str | None], is_kept: Callable[[str], bool]
) -> dict[int, str]:
    """The lines from the first tail-block opener near the end to the end, with its reason.

    `starts_block(key)` gives the reason when a line opens a tail block (None otherwise);
    `is_kept(key)` is true for salutations and closings, which a block may not swallow.
    """
    for pos in range(max(0, len(keys) - TAIL_LINES), len(keys)):
        reason = keys[pos] and starts_block(keys[pos])
        if reason:
            rest = range(pos, len(keys))
            if any(keys[k] and is_kept(keys[k]) for k in rest):
                return {}
            return {k: reason for k in rest if keys[k]}
    return {}


def find_endnotes(texts: Sequence[str], keys: Sequence[str], skip: Callable[[int], bool]) -> dict[int, str]:
    """A numbered note list ending the text: [1] … [n], n ≥ MIN_NOTES, and its 注释 header.

    Lines for which `skip(pos)` is true (page chrome, blank lines) may follow the list.
    """
    end = len(texts)
    while end > 0 and (not keys[end - 1] or skip(end - 1)):
        end -= 1
    start = end
    while start > 0 and (NOTE.match(texts[start - 1]) or (not keys[start - 1] and start < end)):
        start -= 1
    numbered = [pos for pos in range(start, end) if keys[pos]]
    first = NOTE.match(texts[numbered[0]]) if numbered else None
    if len(numbered) < MIN_NOTES or first is None or int(first.group(1)) != 1:
        return {}
    found = dict.fromkeys(numbered, "endnotes")
    header = start - 1
    while header >= 0 and not keys[header]:
        header -= 1
    if header >= 0 and NOTES_HEADER.match(keys[header]):
        found[header] = "endnotes"
    return found


def find_toc(texts: Sequence[str], keys: Sequence[str]) -> dict[int, str]:
    """A table of contents: the 目录 line and its entries, when most entries recur later."""
    header = next((pos for pos, key in enumerate(keys) if "目" in key[:3] and TOC_HEADER.match(key)), None)
    if header is None:
        return {}
    entries: list[int] = []
    for pos in range(header + 1, len(keys)):
        key = keys[pos]
        if not key:
            continue
        if len(key) > TOC_ENTRY_MAX_CHARS or ENTRY_END.search(texts[pos]):
            break
        if entries and key == keys[entries[0]]:
            break  # the text begins: its first heading is the TOC's first entry
        entries.append(pos)
    if len(entries) < TOC_MIN_ENTRIES:
        return {}
    later = set(keys[entries[-1] + 1 :])
    recurring = sum(PAGE_NUMBER.sub("", keys[pos]) in later for pos in entries)
    if recurring < TOC_RECUR_SHARE * len(entries):
        return {}
    return dict.fromkeys([header, *entries], "toc")


def find_apparatus(lines: Sequence[ScannedLine], rules: BoilerplateRules) -> dict[int, str]:
    """Positions and reasons of a text's licence note, endnote list and table of contents."""
    keys = [s.key for s in lines]
    texts = [s.line.text for s in lines]
    tail = "\n".join(keys[-TAIL_LINES:])  # one cheap look at the tail before any per-line work
    found: dict[int, str] = {}
    if rules.tail_block_trigger.search(tail):
        found = find_tail_block(keys, rules.tail_block_reason, rules.is_kept)
    found.update(find_endnotes(texts, keys, lambda k: k in found or rules.category_for(keys[k]) is not None))
    if len(keys) <= TAIL_LINES and "目" not in tail:
        return found  # no 目录 line, so no table of contents
    found.update(find_toc(texts, keys))
    return found
