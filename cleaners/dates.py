"""The date an input gives as its own, from the strongest evidence to the weakest.

Most pages state their date outside the article, in the header line next to the title, so the
lines the earlier stages removed are read too (they keep their text and position). The order of
evidence follows htmldate's (the document, its header, the page's `<meta>`, the URL) with the
Chinese header forms GeneralNewsExtractor looks for:

1. the speech's own dated lines: header lines under the title (`（2025年6月18日）`), a ——subtitle
   or `（…通过）` line in the opening, a date signing off the text (落款) or a `成文日期`;
2. the page's header line beside the title: `发布时间：…`, `2022年02月13日 08:51 来源：…`, a
   date and time with a short source name, or a publication line removed anywhere before the body;
3. the page's `<meta>` publication date;
4. a date in the page's own URL (canonical link, `og:url`, a corpus wrapper line);
5. a post footer just below the text: `发表于 …`, `本贴由…于…发表`, `《…报》（…05版）`.

A wrong date is worse than none, so a line counts only when it is shaped like a dateline: no
sentence, no "today" banner (星期, 北京时间), no headline beside the date (related links), and
never a copyright range or a year alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from cleaners.chars import count_cjk
from cleaners.date_forms import (
    DATE_FORMS,
    MAYBE_DATE,
    WESTERN_FORMS,
    date_matches,
    match_date,
    parse_date,
    valid_date,
)
from cleaners.document import Removal, SpeechDraft

TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?")
URL_TEXT = re.compile(r"https?://\S*|www\.\S*|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org)\S*", re.I)
# Sentence marks: a line holding one is prose (a caption, a body sentence), never a dateline.
SENTENCE = re.compile(r"[。！？，；]")
# "Today" banners and clocks at the top of a page: the reader's date, not the article's.
TODAY = re.compile(r"星期|礼拜|周[一二三四五六日天]|今天|今日|农历|北京时间|[京台美东西]时间|天气")
CJK_CHAR = r"[\u3400-\u9fff]"
# Labels that say a date is the page's publication date. A bare 时间/日期 counts only where no
# other word runs into it (活动时间、报名日期 are about something else).
TIME_LABEL = (
    rf"(?:发布|发表|更新|刊发|出版|上传|录入|创建|印发|发文|提交|入库)(?:时间|日期)|(?<!{CJK_CHAR})(?:时间|日期)"
    r"|发[布表](?:于|\s*[:：])|更新于|于\s*\d{4}.{0,40}发[布表]"
)
PUBLISHED_TIME = re.compile(TIME_LABEL)
CREDIT_LABEL = r"|来\s*源\s*[:：]|作\s*者\s*[:：]|编\s*辑\s*[:：]|责编|出处[:：]|版\s*[)）]"
PUBLISHED = re.compile(TIME_LABEL + CREDIT_LABEL)
# Words that make a date about something else: 报名时间、截止日期、4月1日至20日、开幕前.
OTHER_DATE = re.compile(rf"{CJK_CHAR}(?:时间|日期)|截止|期限|[至起止]|之?[前后]")
# Labels of the document's own date (the date it was signed), preferred over a publication date.
WRITTEN = re.compile(rf"(?<!{CJK_CHAR})(?:成文|签发|落款)(?:时间|日期)")
LABEL_ONLY = re.compile(r"^\s*\S{0,6}(?:时间|日期)\s*[:：]\s*$")
# A ——subtitle or bracketed line that opens with the date: `——2024年3月5日在…上`, `（2023年3月13日…通过）`,
# or a line opening with the date and the meeting: `2024年1月15日在县委全会上`.
YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年"
SUBTITLE_DATE = re.compile(rf"^\s*(?:[—－–-]{{1,2}}|[（(])\s*{YEAR}|^\s*{YEAR}[^，。在]{{2,12}}[日号]\s*在")
DATE_ONLY = re.compile(r"^[\s（(\[【]*(.*?)[\s）)\]】]*$")
MAX_SOURCE_CJK = 8  # a bare dateline may name its source (新华网河北频道), not carry a headline
MAX_SOURCE_LATIN = 20
MAX_LINE_CHARS = 120
MAX_DATE_ONLY_CHARS = 24
WINDOW = 12  # how far (in blocks) from the start of the speech a header line may sit
FOOTER_WINDOW = 6
URL_DATE = re.compile(
    r"(?:^|[/_t=-])((?:19|20)\d{2})[-_/]?(0[1-9]|1[0-2])[-_/]?(0[1-9]|[12]\d|3[01])(?=[/_.?#-]|$)"
)



def first_date(texts: Iterable[str]) -> str | None:
    """The first date found in a sequence of texts."""
    return next((d for d in map(parse_date, texts) if d), None)


def dateline_date(text: str, labelled_only: bool = False, placed: bool = False) -> str | None:
    """The date of a line shaped like a page's dateline, else None.

    A dateline holds a full date and no sentence; it is labelled (`发布时间：`, `来源：`) or
    holds little besides the date, a time, a URL and a short source name, unless it is `placed`
    where a dateline goes (a header line between the title and the body).

    >>> dateline_date("2022年02月13日 08:51 来源：央广网")
    '2022-02-13'
    >>> dateline_date("新华网河北频道 ( 2012-06-04 09:20 )")
    '2012-06-04'
    >>> dateline_date("2006年12月27日 星期三"), dateline_date("春季运动会圆满落幕 2024-04-20")
    (None, None)
    """
    if len(text) > MAX_LINE_CHARS or not MAYBE_DATE.search(text):
        return None
    if SENTENCE.search(text) or TODAY.search(text):
        return None
    matches = date_matches(text)
    date = next((d for d in map(match_date, matches) if d), None)
    if date is None:
        return None
    if PUBLISHED.search(text) or WRITTEN.search(text):
        return date
    if labelled_only or OTHER_DATE.search(text):
        return None
    if placed:
        return date
    rest = text
    for pattern in (*DATE_FORMS, *WESTERN_FORMS, TIME, URL_TEXT):
        rest = pattern.sub(" ", rest)
    latin = sum(c.isascii() and c.isalpha() for c in rest)
    return date if count_cjk(rest) <= MAX_SOURCE_CJK and latin <= MAX_SOURCE_LATIN else None


def date_only(text: str) -> str | None:
    """The date of a line that holds nothing but a date (a signature date, `（2025年6月18日）`)."""
    if len(text) > MAX_DATE_ONLY_CHARS:
        return None
    inner = DATE_ONLY.match(text)
    matches = date_matches(text)
    if not inner or len(matches) != 1 or matches[0].group(0).strip() != inner.group(1).strip():
        return None
    return match_date(matches[0])


def subtitle_date(text: str) -> str | None:
    """The date opening a ——subtitle or bracketed line (`——2024年3月5日在…上`), else None."""
    return parse_date(text) if SUBTITLE_DATE.match(text) and not TODAY.search(text) else None


def dated_removals(removed: Sequence[Removal]) -> list[tuple[int, str, str]]:
    """(index, text, reason) of the removed lines that may hold a date; a label alone on the line
    before (`成文日期：` in a table cell) is joined to its date."""
    lines = []
    for k, removal in enumerate(removed):
        text = removal.text
        if not MAYBE_DATE.search(text):
            continue
        before = removed[k - 1] if k else None
        if before and before.index == removal.index - 1 and LABEL_ONLY.match(before.text):
            text = before.text.strip() + text
        lines.append((removal.index, text, removal.reason))
    return lines


def speech_bounds(draft: SpeechDraft) -> tuple[int, int]:
    """Positions of the first and last kept lines of the speech (its title or body, not removals)."""
    removed_at = {r.index for r in draft.removed}
    first = next((i for i in range(draft.start, draft.end) if i not in removed_at), draft.start)
    last = next((i for i in range(draft.end - 1, first - 1, -1) if i not in removed_at), first)
    return first, last


def body_lines(draft: SpeechDraft) -> list[str]:
    """Headings and paragraphs of the speech in reading order."""
    return [t for s in draft.sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs]


def own_dates(
    draft: SpeechDraft, lines: list[tuple[int, str, str]], first: int, body: list[str]
) -> Iterator[str | None]:
    """Dates the speech gives itself: header lines, an opening subtitle, a closing signature date."""
    yield next((d for t in draft.header if (d := subtitle_date(t) or dateline_date(t, placed=True))), None)
    opening = [text for index, text, _ in lines if first - WINDOW <= index <= first + WINDOW]
    yield next((d for d in map(subtitle_date, [*opening, *body[:3]]) if d), None)
    # A signature date is written out (`2022年1月27日`); a bare `2024-03-01` at the end is more
    # likely a leaked list of dated links than a document signing off.
    yield next((d for t in reversed(body[-3:]) if "年" in t and (d := date_only(t))), None)
    yield next((d for _, text, _ in lines if WRITTEN.search(text) and (d := dateline_date(text))), None)


def lead_lines(body: list[str]) -> list[str]:
    """The short lines opening the body before its first sentence (a byline, a dateline), at most 6."""
    lead = []
    for text in body[:6]:
        if SENTENCE.search(text[:-1]) and count_cjk(text) >= 20:
            break
        lead.append(text)
    return lead


def in_a_list(index: int, dated: set[int]) -> bool:
    """True when two more dated lines sit close by: a list of dated links, not a dateline."""
    return sum(1 for k in range(index - 3, index + 4) if k != index and k in dated) >= 2


def header_dates(
    draft: SpeechDraft, lines: list[tuple[int, str, str]], first: int, last: int, body: list[str]
) -> Iterator[str | None]:
    """The page's dateline nearest the start of the speech, then a labelled one further up."""
    yield next((d for d in map(dateline_date, [draft.title, *lead_lines(body)]) if d), None)
    near = [(i, t) for i, t, _ in lines if first - WINDOW <= i <= min(last, first + WINDOW)]
    dated = {i for i, t in near if date_matches(t)}
    for index, text in sorted(near, key=lambda it: (abs(it[0] - first), -it[0])):
        found = dateline_date(text, labelled_only=in_a_list(index, dated))
        if found:
            yield found
            return
    # Further up, only a line labelled with a publication time counts, and not one of a list.
    dated = {i for i, t, _ in lines if i < first - WINDOW and date_matches(t)}
    above = (
        t for i, t, r in reversed(lines)
        if (i < first - WINDOW and PUBLISHED_TIME.search(t) and not in_a_list(i, dated))
        or (r == "page_meta" and i <= last)
    )
    yield next((d for text in above if (d := dateline_date(text, labelled_only=True))), None)


def url_date(url: str) -> str | None:
    """A date a URL's path gives (`/2020-02/19/`, `/20040716/`, `t20200219_`), else None.

    >>> url_date("http://www.example.cn/politics/2020-02/19/c_11.htm"), url_date("http://a.cn/2001/002/x.htm")
    ('2020-02-19', None)
    """
    if not url:
        return None
    path = url.split("://", 1)[-1].partition("/")[2]
    return next((d for m in URL_DATE.finditer("/" + path) if (d := valid_date(*map(int, m.groups())))), None)


def find_date(
    draft: SpeechDraft,
    page_meta: Mapping[str, str] | None = None,
    body: list[str] | None = None,
    bounds: tuple[int, int] | None = None,
) -> str | None:
    """The date the speech was given or published, when the input states it (see the module's order).

    `body` (the speech's headings and paragraphs) and `bounds` (`speech_bounds`) may be passed by
    a caller that has them already.
    """
    page_meta = page_meta or {}
    lines = dated_removals(draft.removed)
    first, last = bounds or speech_bounds(draft)
    body = body_lines(draft) if body is None else body
    for found in own_dates(draft, lines, first, body):
        if found:
            return found
    for found in header_dates(draft, lines, first, last, body):
        if found:
            return found
    if found := parse_date(page_meta.get("date", "")):
        return found
    if found := url_date(page_meta.get("url", "")):
        return found
    footer = [*body[-2:], *(text for index, text, _ in lines if last < index <= last + FOOTER_WINDOW)]
    return next((d for text in footer if (d := dateline_date(text, labelled_only=True))), None)
