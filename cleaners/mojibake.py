"""Recognise mis-decoded text: rate how plausible a decoding is, and undo UTF-8 read as Latin-1.

Questions the decode stage asks about candidate texts, all about mojibake:

* `rate_text` (in `cleaners.plausibility`) — does this decoding look like real writing, or
  like bytes read with the wrong codec? This is what lets a 10-byte snippet be told apart as
  GB18030 or Big5.
* `rank_decodings` — of several codecs that decode a sample cleanly, which gives real text?
* `repair_mojibake` — is this UTF-8 text that was once read as Latin-1/CP1252 and saved again
  (`å…š` for `党`)? If so, undo it with ftfy's encoding fixes only: ftfy's width and quote
  fixes would turn `，（）“”` into ASCII, which is wrong for Chinese.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import ftfy

from cleaners.plausibility import (  # noqa: F401 - RUN_LENGTH, RUN_WEIGHT, weigh_char: the rating's API
    NOISE_RATING_MAX,
    RUN_LENGTH,
    RUN_WEIGHT,
    rate_text,
    weigh_char,
)

CHARDET_WEIGHT = 0.15  # how much chardet's confidence adds to a candidate's rating
# UTF-8 lead byte then continuation byte, as Latin-1/CP1252 shows them: the mark of mojibake.
_LEADS = bytes(range(0xC2, 0xF5)).decode("latin-1")
_CONTINUATIONS = bytes(range(0x80, 0xC0)).decode("latin-1") + bytes(range(0x80, 0xC0)).decode(
    "cp1252", errors="ignore"
)
_MOJIBAKE = re.compile(f"[{re.escape(_LEADS)}][{re.escape(_CONTINUATIONS)}]")
_FIX_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True)
class Candidate:
    """A codec whose strict decoding of a sample (`text`) rated `rating` with `evidence` non-ASCII
    characters; chardet gave it `confidence` (0 when chardet did not name it)."""

    codec: str
    rating: float
    confidence: float
    evidence: int
    text: str = field(default="", repr=False, compare=False)


def rank_decodings(
    sample: bytes, confidences: Mapping[str, float], *, truncated: bool
) -> Iterator[Candidate]:
    """The codecs (keys of `confidences`) whose strict decoding of the sample rates as text, best
    first: by rating plus CHARDET_WEIGHT times chardet's confidence, ties in the mapping's order.

    Rating is the costly part and a rating is at most 1.0, so a decoding is rated only once it
    could still come before the best rated one: a sure chardet guess that rates well spares
    rating the others. A cut last character is forgiven when the sample is `truncated` from a
    longer input.

    >>> [c.codec for c in rank_decodings("同志們好".encode("big5"), {"gb18030": 0.0, "big5hkscs": 0.0},
    ...                                 truncated=False)]
    ['big5hkscs']
    """
    unrated = sorted(
        decode_candidates(sample, confidences, truncated=truncated),
        key=lambda pending: rank_key(1.0, pending[2]),
        reverse=True,
    )
    rated: list[tuple[int, Candidate]] = []
    while rated or unrated:
        while unrated and (not rated or best_rated(rated)[1] <= rank_key(1.0, unrated[0][2])):
            order, codec, confidence, text = unrated.pop(0)
            evidence = len(text) - len(text.encode("ascii", errors="ignore"))
            candidate = Candidate(codec, rate_text(text), confidence, evidence, text)
            if candidate.rating > NOISE_RATING_MAX:
                rated.append((order, candidate))
        if rated:
            best = best_rated(rated)[0]
            yield rated.pop(best)[1]


def decode_candidates(
    sample: bytes, confidences: Mapping[str, float], *, truncated: bool
) -> Iterator[tuple[int, str, float, str]]:
    """(position, codec, confidence, text) for each codec that decodes the sample strictly."""
    for order, (codec, confidence) in enumerate(confidences.items()):
        try:
            text = codecs.getincrementaldecoder(codec)().decode(sample, final=not truncated)
        except (UnicodeDecodeError, LookupError):
            continue
        yield order, codec, confidence, text


def rank_key(rating: float, confidence: float) -> float:
    """What decodings are ranked by: the rating, nudged by chardet's confidence."""
    return rating + CHARDET_WEIGHT * confidence


def best_rated(rated: list[tuple[int, Candidate]]) -> tuple[int, float]:
    """Index in `rated` of the best candidate (ties go to the earliest position) and its key."""
    keys = [rank_key(c.rating, c.confidence) for _, c in rated]
    best = max(range(len(rated)), key=lambda i: (keys[i], -rated[i][0]))
    return best, keys[best]


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as Latin-1/CP1252; any other text comes back unchanged.

    >>> repair_mojibake("å…šçš„å»ºè®¾")
    '党的建设'
    """
    if not _MOJIBAKE.search(text):
        return text
    return ftfy.fix_encoding(text, _FIX_ENCODING_ONLY)
