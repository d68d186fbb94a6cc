"""Who a page says the article comes from, who wrote it and who edited it.

News and government pages credit an article in labelled lines around it: `来源：新华网` and
`作者：张三` in the header line beside the title, `（责编：李四、王五）` or `责任编辑：李四` below the
text. The earlier stages drop those lines (they are no speech text) but keep them as removals, so
they are read here, only near the start and end of the speech and only where a label says what
the name is: an unlabelled name is never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from cleaners.document import Removal

WINDOW = 12  # blocks around the start of the speech where its header lines sit
FOOTER_WINDOW = 6
LABELS = {
    "outlet": r"(?:信息|文章|本文|稿件)?来源|稿源|出处",
    "author": r"作者|撰稿|撰文|文字",
    "editor": r"责任编辑|责编|编辑",
}
LABEL_HINT = re.compile("|".join(LABELS.values()))  # a cheap test before the three rules
# Any label, so a value stops where the next label starts (`来源：新华网 作者：张三`).
ANY_LABEL = (
    r"(?:(?:信息|文章|本文|稿件)?来源|来自|稿源|出处|作者|撰稿|撰文|文字|责任编辑|责编|编辑|审核|校对|摄影|"
    r"(?:发布|发表|更新)?(?:时间|日期)|发布于|点击|浏览|阅读|字号)\s*[:：]"
)
# Where a value ends: the next label, a separator, a wide gap, or a counter or date after a space
# (`第一财经日报 网友评论 0 条`, `太原晚报 2021-11-25 16:26`).
VALUE_END = rf"{ANY_LABEL}|出自|[|｜]|\s{{2,}}|\s+(?:网友|评论|浏览|点击|阅读|\d)|$"
CREDIT = {
    field: re.compile(rf"(?<![\u4e00-\u9fff])(?:{label})\s*[:：]\s*(.+?)\s*(?={VALUE_END})")
    for field, label in LABELS.items()
}
VALUE_TRIM = "[]［］【】()（）<>〈〉\"'“”:：,，;；。 \u3000\xa0"
OPENERS = "(（[［【<〈"
# Words that name no one: a page saying its article was "reposted" or "compiled from the web".
NAMELESS = frozenset((
    "转载", "转载文章", "网络", "网络整理", "网络转载", "本站", "本站整理", "本站原创", "原创",
    "互联网", "网友", "网友投稿", "未知", "不详", "佚名", "admin",
))
MAX_VALUE_CHARS = 30
# A value holding a sentence mark, markup or a leading digit is no name.
NOT_A_NAME = re.compile(r"[。！？!?=<>\"：:，]|^\d")
BRACKET_CLOSES = re.compile(r"[)）\]］】>〉]")


@dataclass(frozen=True)
class Credits:
    """The outlet (来源), author (作者) and editor (责任编辑) a page names, each None when unstated."""

    outlet: str | None = None
    author: str | None = None
    editor: str | None = None


def credit_value(text: str, field: str) -> str | None:
    """The value a labelled line gives for a field, else None.

    >>> credit_value("2022年02月13日 08:51 来源：央广网 作者：张三", "outlet")
    '央广网'
    >>> credit_value("（责编：李四、王五）", "editor"), credit_value("编辑部整理", "editor")
    ('李四、王五', None)
    >>> credit_value("来源：上海证券报(上海", "outlet"), credit_value("来源：转载文章", "outlet")
    ('上海证券报', None)
    """
    found = CREDIT[field].search(text)
    if not found:
        return None
    value = trim_value(found.group(1))
    if not value or len(value) > MAX_VALUE_CHARS or NOT_A_NAME.search(value) or value in NAMELESS:
        return None
    return value


def trim_value(value: str) -> str:
    """The value without brackets, quotes, spaces or stray symbols around it, cut before a bracket
    it leaves open (`上海证券报(上海)` → `上海证券报`).

    >>> trim_value(" [ 国际金融报 ]\ue5c2"), trim_value("上海证券报(上海)"), trim_value("李四、王五）")
    ('国际金融报', '上海证券报', '李四、王五')
    """
    while True:
        start, end = 0, len(value)
        while start < end and (value[start] in VALUE_TRIM or not value[start].isprintable()):
            start += 1
        while end > start and (value[end - 1] in VALUE_TRIM or not value[end - 1].isprintable()):
            end -= 1
        value = value[start:end]
        openers = (k for k, c in enumerate(value) if c in OPENERS and not BRACKET_CLOSES.search(value, k))
        opener = next(openers, None)
        if opener is None:
            return value
        value = value[:opener]


def credit_lines(
    header: Sequence[str], body: Sequence[str], removed: Sequence[Removal], first: int, last: int
) -> Iterator[str]:
    """The lines that may credit the article: header lines, the first and last lines of the body,
    and removed lines near the start of the speech or just below it, nearest first."""
    yield from header
    yield from body[:3]
    near = [r for r in removed if first - WINDOW <= r.index <= first + WINDOW or r.reason == "page_meta"]
    yield from (r.text for r in sorted(near, key=lambda r: abs(r.index - first)))
    yield from reversed(body[-2:])
    yield from (r.text for r in removed if last < r.index <= last + FOOTER_WINDOW)


def find_credits(lines: Iterable[str]) -> Credits:
    """The first value each label gives among the lines."""
    found: dict[str, str] = {}
    for text in lines:
        if len(text) > 120 or ("：" not in text and ":" not in text) or not LABEL_HINT.search(text):
            continue
        for field in LABELS:
            if field not in found and (value := credit_value(text, field)):
                found[field] = value
        if len(found) == len(LABELS):
            break
    return Credits(**found)
