"""Metadata of one speech: date, occasion, genre, speaker, size, redactions, truncation, keywords.

Every field comes from what the input states: the date from the evidence `cleaners.dates` weighs
(a dated header line, the page's dateline, `<meta>`, its own URL), never from a copyright range or
a year mentioned in the title or body; the occasion and genre from the title (`在……上的讲话`); the
speaker from a header line or `XXX同志在……`; the outlet, author and editor from labelled lines
(`cleaners.credits`); truncation from real evidence only (`cleaners.truncation`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cleaners import truncation
from cleaners.chars import count_cjk
from cleaners.credits import Credits, credit_lines, find_credits
from cleaners.date_forms import parse_date
from cleaners.dates import find_date, speech_bounds
from cleaners.document import SpeechDraft
from cleaners.keywords import extract_keywords
from cleaners.opening_rules import header_kinds, load_title_rules

OCCASION = re.compile(r"在(.+?)(?:上|时|中)的")
SPEAKER_IN_TITLE = re.compile(r"^[—－-]*\s*(\S{2,6}?)同志在")
MASK = re.compile(r"(?<![A-Za-z0-9])(?:[XＸ×]+|[*＊]+)(?![A-Za-z0-9])")
# Every mask holds one of these; most speeches hold none, and a scan for them is cheap (某 is
# no mark: it is common in prose, 某些、某种, and 某某 is counted by itself).
MASK_MARK = re.compile(r"[XＸ×*＊]")
PLACEHOLDER = re.compile(r"^(?:[XＸ×*＊]+|某某)$")


@dataclass(frozen=True)
class SpeechMeta:
    """What a speech record says about the speech besides its text.

    char_count counts the CJK ideographs of the body (headings and paragraphs), the measure
    Chinese documents give their length in (`全文3623字`); redactions counts masked names;
    credits holds the outlet, author and editor the page names in labelled lines.
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
    credits: Credits = Credits()


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
    speaker_line = load_title_rules().header[header_kinds("speaker")[0]]
    for text in (draft.title, *draft.header):
        found = SPEAKER_IN_TITLE.match(text)
        if found and not PLACEHOLDER.match(found.group(1)):
            return found.group(1)
    for text in draft.header:
        if speaker_line.match(text) and not PLACEHOLDER.match(text) and not parse_date(text):
            return re.sub(r"\s+", " ", text.removesuffix("同志")).strip()
    return None


def count_redactions(text: str) -> int:
    """Masked names and places: runs of X, ×, * and 某某 (not X inside Latin words such as XXL).

    >>> count_redactions("XX同志、×××同志和某某某在XXL会场"), count_redactions("某些同志")
    (3, 0)
    """
    masks = len(MASK.findall(text)) if MASK_MARK.search(text) else 0
    return masks + text.count("某某")


def body_texts(draft: SpeechDraft) -> list[str]:
    """Headings and paragraphs of a speech in reading order."""
    return [t for s in draft.sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs]


def is_truncated(draft: SpeechDraft, paywalled: bool = False) -> bool:
    """True when only part of the speech is there: a paywall, a pager, or prose cut mid-sentence."""
    return truncation.is_truncated(draft, body_texts(draft), paywalled, *speech_bounds(draft))


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
    texts = body_texts(draft)
    bounds = speech_bounds(draft)
    body = "\n".join(texts)
    return SpeechMeta(
        date=find_date(draft, page_meta, texts, bounds),
        occasion=find_occasion(draft.title, draft.header),
        genre=find_genre(draft.title),
        speaker=find_speaker(draft),
        site=(page_meta or {}).get("site") or None,
        char_count=count_cjk(body),
        redactions=sum(map(count_redactions, (draft.title, *draft.header, body))),
        truncated=truncation.is_truncated(draft, texts, paywalled, *bounds),
        keywords=extract_keywords(body, keywords, stopwords, userdict),
        credits=find_credits(credit_lines(draft.header, texts, draft.removed, *bounds)),
    )
