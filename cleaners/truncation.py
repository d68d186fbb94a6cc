"""Whether an input holds only part of its speech, on real evidence only.

Three things say so: a paywall or "read the full text" prompt (the boilerplate stage's cut-off
rules), a pager stating that the text runs over several pages (`第1页 共4页`, `上一页 1 2 3 下一页`),
and a text whose last paragraph of prose stops in mid-sentence. A short line left at the end (a
byline, a share button, a signature, a licence note) says nothing either way, so the judgement
looks past such lines to the last prose paragraph; and a pager of one page, or a bare `下一页`
button, is no evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaners.chars import count_cjk
from cleaners.document import Removal, SpeechDraft

PAGE_OF = re.compile(
    r"第\s*(\d{1,3})\s*页\s*[/／,，|]?\s*共\s*(\d{1,3})\s*页|共\s*(\d{1,3})\s*页\s*[/／,，|:：]?\s*第\s*\d{1,3}\s*页"
)
# Page links in a row: `1 2 3`, `[1] [2] [3]`, `1 | 2 | 3` beside 上一页/下一页 or 页.
PAGE_RUN = re.compile(r"(?<!\d)\[?1\]?\s*[|｜]?\s*\[?2\]?(?:\s*[|｜]?\s*\[?\d{1,3}\]?)*(?!\d)")
PAGER_WORD = re.compile(r"下一页|上一页|尾页|末页|页")
FOOTER_WINDOW = 8  # a pager sits just below the text
PROSE_MIN_CJK = 20
LOOK_BACK = 4  # short lines at the end skipped to find the last prose paragraph
CUT_ENDS = "，、；,;"
SENTENCE_ENDS = "。！？!?…"
# A clause after the last full stop that is a credit, not speech: `新华社记者 张三 摄`.
BYLINE_END = re.compile(r"(?:摄|供图|图|报道|整理|编辑|撰稿|来源\S{0,12})$")


def pages_stated(text: str) -> int:
    """How many pages a pager line says the text runs over (1 when it states no more).

    >>> pages_stated("第1页 共4页"), pages_stated("第1页/共1页 << 上一页 | 下一页 >>")
    (4, 1)
    >>> pages_stated("上一页 1 2 3 下一页"), pages_stated("上一页 下一页")
    (3, 1)
    """
    if len(text) > 80 or not PAGER_WORD.search(text):
        return 1
    stated = PAGE_OF.search(text)
    if stated:
        return int(stated.group(2) or stated.group(3))
    run = PAGE_RUN.search(text)
    return len(re.findall(r"\d+", run.group(0))) if run else 1


def has_pager(removed: Sequence[Removal], first: int, last: int) -> bool:
    """True when a line removed within or just below the speech is a pager of several pages.

    A Word or PDF file's own page numbers (`第 1 页 共 2 页` as page furniture, stage `read`)
    number a whole document's pages, so they say nothing of a page cut off.
    """
    near = (
        r.text
        for r in removed
        if first <= r.index <= last + FOOTER_WINDOW and "页" in r.text and r.stage != "read"
    )
    return any(pages_stated(text) > 1 for text in near)


def is_prose(text: str) -> bool:
    """A paragraph of sentences: enough ideographs and a comma or full stop inside."""
    inner = text[:-1]
    has_marks = "，" in inner or "。" in inner or "；" in inner
    return len(text) >= PROSE_MIN_CJK and has_marks and count_cjk(text) >= PROSE_MIN_CJK


def stops_mid_sentence(text: str) -> bool:
    """True when a prose paragraph ends on a comma or in the middle of a long clause.

    >>> stops_mid_sentence("我们要坚持问题导向，补短板、强弱项，")
    True
    >>> stops_mid_sentence("市民在广场上观看演出。新华社记者 张三 摄")
    False
    """
    text = text.rstrip()
    if not text or text[-1] in CUT_ENDS:
        return bool(text)
    if not (text[-1].isalnum() and count_cjk(text[-1])):
        return False
    tail = text[max(text.rfind(mark) for mark in SENTENCE_ENDS) + 1 :]
    return count_cjk(tail) >= 10 and not BYLINE_END.search(tail)


def last_prose(texts: Sequence[str]) -> str | None:
    """The last prose paragraph among the final few lines, past short lines left at the end."""
    return next((t for t in reversed(texts[-LOOK_BACK:]) if is_prose(t)), None)


def is_truncated(draft: SpeechDraft, texts: Sequence[str], paywalled: bool, first: int, last: int) -> bool:
    """True when only part of the speech is there: a paywall, a pager, or prose cut mid-sentence."""
    if paywalled or not texts:
        return True
    if has_pager(draft.removed, first, last) or any(pages_stated(t) > 1 for t in texts[-2:]):
        return True
    prose = last_prose(texts)
    return prose is not None and stops_mid_sentence(prose)
