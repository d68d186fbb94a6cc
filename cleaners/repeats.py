"""Drop a paragraph an input repeats many times, keeping its first copy.

A broken template or a scraper that looped can put one paragraph on a page hundreds of times;
every copy would land in the record. A paragraph of at least `MIN_CHARS` characters met
`MIN_COPIES` times or more in one input is kept where it first appears and each later copy is
removed as `repeated_paragraph`. Short lines (salutations such as `同志们：`, which a compilation
repeats once per speech, and `谢谢大家！`) and a paragraph quoted twice are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cleaners.document import Line, Removal

MIN_CHARS = 20  # shorter lines recur for good reasons (salutations, closings, headings)
MIN_COPIES = 3  # twice can be a deliberate quotation; three times and more is a page gone wrong
REASON = "repeated_paragraph"


def drop_repeated_paragraphs(lines: Sequence[Line]) -> tuple[tuple[Line, ...], tuple[Removal, ...]]:
    """The lines with every copy after the first of a much-repeated paragraph removed, and the removals.

    >>> para = Line("各级党组织要切实扛起主体责任，层层传导压力，确保各项任务落到实处。", 0)
    >>> kept, removed = drop_repeated_paragraphs([para, Line("同志们：", 1)] + [para] * 3)
    >>> [line.text[:4] for line in kept], [r.reason for r in removed]
    (['各级党组', '同志们：'], ['repeated_paragraph', 'repeated_paragraph', 'repeated_paragraph'])
    """
    texts = [line.text for line in lines]
    if len(texts) - len(set(texts)) < MIN_COPIES - 1:  # the usual input: no text comes three times
        return tuple(lines), ()
    counts = Counter(text for text in texts if len(text) >= MIN_CHARS)
    repeated = {text for text, count in counts.items() if count >= MIN_COPIES}
    if not repeated:
        return tuple(lines), ()
    kept: list[Line] = []
    removed: list[Removal] = []
    seen: set[str] = set()
    for line in lines:
        if line.text in repeated:
            if line.text in seen:
                removed.append(Removal(line.index, line.text, REASON, "repeats"))
                continue
            seen.add(line.text)
        kept.append(line)
    return tuple(kept), tuple(removed)
