"""Metadata of one speech: date, occasion, genre, speaker, size, redactions, truncation, keywords.

Every field comes from what the input states: the date from a publication line the boilerplate
stage removed (`发布时间：2026-01-30`), a dated header line (`（2025年6月18日）`) or the page's
metadata, never from a copyright range or a year mentioned in the title or body; the occasion and
genre from the title (`在……上的讲话`); the speaker from a header line or `XXX同志在……`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from cleaners.document import SpeechDraft
from cleaners.headings import count_cjk, load_title_rules
from cleaners.keywords import extract_keywords

DATE_FORMS = (
    re.compile(r"(?<!\d)(\d{4})\s*[-/.／]\s*(\d{1,2})\s*[-/.／]\s*(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"),
    re.compile(
        r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*[日号]"
    ),
)
HANZI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
FIRST_YEAR, LAST_YEAR = 1949, 2100
OCCASION = re.compile(r"在(.+?)(?:上|时|中)的")
SPEAKER_IN_TITLE = re.compile(r"^[—－-]*\s*(\S{2,6}?)同志在")
REDACTION = re.compile(r"(?<![A-Za-z0-9])(?:[XＸ×]+|[*＊]+)(?![A-Za-z0-9])|某某")
# Every redaction holds one of these; most speeches hold none, and a scan for them is cheap.
REDACTION_MARK = re.compile(r"[XＸ×*＊某]")
PLACEHOLDER = re.compile(r"^(?:[XＸ×*＊]+|某某)$")
COMPLETE_END = "。！？!?…”’』」）)》.～~"
CLOSINGS = ("谢谢大家", "谢谢", "谢谢各位")


@dataclass(frozen=True)
class SpeechMeta:
    """What a speech record says about the speech besides its text.

    char_count counts the CJK ideographs of the body (headings and paragraphs), the measure
    Chinese documents give their length in (`全文3623字`); redactions counts masked names.
    """

    date: str | None
    occasion: str | None
    genre: str | None
    speaker: str | None
    site: str | None
    char_count: int
    redactions: int
    truncated: bool
    keywords: tuple[str, ...]


def hanzi_number(text: str) -> int:
    """Value of a written-out number: 二〇二五 → 2025 (digit by digit), 十八 → 18, 六 → 6."""
    if "十" not in text:
        return int("".join(str(HANZI_DIGITS[c]) for c in text))
    tens, _, ones = text.partition("十")
    return HANZI_DIGITS.get(tens, 1) * 10 + (HANZI_DIGITS[ones] if ones else 0)


def parse_date(text: str) -> str | None:
    """The first valid calendar date written in the text, as YYYY-MM-DD, else None.

    >>> parse_date("发布时间：2026/1/30 10:20")
    '2026-01-30'
    """
    found = sorted((m.start(), m) for form in DATE_FORMS for m in form.finditer(text))
    for _, match in found:
        parts = [int(p) if p.isdigit() else hanzi_number(p) for p in match.groups()]
        if not FIRST_YEAR <= parts[0] <= LAST_YEAR:
            continue
        try:
            return Date(*parts).isoformat()
        except ValueError:
            continue
    return None


def first_date(texts: Iterable[str]) -> str | None:
    """The first date found in a sequence of texts."""
    return next((d for d in map(parse_date, texts) if d), None)


def find_date(draft: SpeechDraft, page_meta: Mapping[str, str] | None = None) -> str | None:
    """The date the speech was given or published, when the input states it.

    Looked for in the header lines (the date of the speech itself), then in the publication lines
    the boilerplate stage removed as `page_meta`, then in the page's metadata.
    """
    published = (r.text for r in draft.removed if r.reason == "page_meta")
    return (
        first_date(draft.header) or first_date(published) or first_date([(page_meta or {}).get("date", "")])
    )


def find_occasion(title: str, header: Iterable[str] = ()) -> str | None:
    """The meeting named by `在……上的讲话` in the title or a ——subtitle, else None."""
    for text in (title, *header):
        found = OCCASION.search(text)
        if found:
            return found.group(1).strip()
    return None


def find_genre(title: str) -> str | None:
    """The genre the title names (讲话, 讲话稿, 党课, 党课讲稿, 致辞…), longest ending first."""
    rules = load_title_rules()
    ending = next((g for g in rules.genres if title.endswith(g)), None)
    prefix = rules.genre_prefix.match(title)
    return ending or (prefix.group(1) if prefix else None)


def find_speaker(draft: SpeechDraft) -> str | None:
    """Who gave the speech, from a header line or `张三同志在……`; None when unstated or masked."""
    speaker_line = load_title_rules().header[2]
    for text in (draft.title, *draft.header):
        found = SPEAKER_IN_TITLE.match(text)
        if found and not PLACEHOLDER.match(found.group(1)):
            return found.group(1)
    for text in draft.header:
        if speaker_line.match(text) and not PLACEHOLDER.match(text) and not parse_date(text):
            return re.sub(r"\s+", " ", text.removesuffix("同志")).strip()
    return None


def count_redactions(text: str) -> int:
    """Masked names and places: runs of X, ×, * and 某某 (not X inside Latin words such as XXL)."""
    return len(REDACTION.findall(text)) if REDACTION_MARK.search(text) else 0


def body_texts(draft: SpeechDraft) -> list[str]:
    """Headings and paragraphs of a speech in reading order."""
    return [t for s in draft.sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs]


def is_truncated(draft: SpeechDraft, paywalled: bool = False) -> bool:
    """True when only part of the speech is there: a paywall, or the body stops mid-sentence."""
    texts = body_texts(draft)
    if paywalled or not texts:
        return True
    last = texts[-1].strip()
    return not (last.endswith(tuple(COMPLETE_END)) or last.rstrip("！!。") in CLOSINGS)


def describe_speech(
    draft: SpeechDraft,
    page_meta: Mapping[str, str] | None = None,
    paywalled: bool = False,
    *,
    keywords: int = 8,
    stopwords: Path | None = None,
    userdict: Path | None = None,
) -> SpeechMeta:
    """Everything a record states about a speech besides its text."""
    body = "\n".join(body_texts(draft))
    return SpeechMeta(
        date=find_date(draft, page_meta),
        occasion=find_occasion(draft.title, draft.header),
        genre=find_genre(draft.title),
        speaker=find_speaker(draft),
        site=(page_meta or {}).get("site") or None,
        char_count=count_cjk(body),
        redactions=count_redactions("\n".join([draft.title, *draft.header, body])),
        truncated=is_truncated(draft, paywalled),
        keywords=extract_keywords(body, keywords, stopwords, userdict),
    )
