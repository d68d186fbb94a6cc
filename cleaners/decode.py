"""Decode raw bytes into text, recording which layer decided the encoding (`Decoded.method`).

Layers, first decision wins: `bom` (UTF-8/16/32 byte-order mark); bytes riddled with NULs or
controls are BOM-less UTF-16/32 (`detected`) or `binary`; HZ (`detected`); `utf8` (strict, so
pure ASCII too); `declared` (`<meta charset>`, `http-equiv`, `<?xml encoding?>`, read with the
label's superset codec, kept only if the bytes decode cleanly and read as real text: pages lie,
and the lying label is still reported in `Decoded.declared`); BOM-less UTF-16 of CJK text
(`detected`); `detected` (GB18030 at sight when it decodes strictly and reads plainly as
Chinese; otherwise chardet's sure guesses plus GB18030, Big5-HKSCS, CP1252 and the declared
codec, each decoded strictly and ranked by `rank_decodings`: for a short snippet chardet alone
is often wrong, the share of frequent Hanzi is not); `fallback` (GB18030 with U+FFFD counted
in `replacements`, or `undecodable` when too much is lost).

Mojibake (UTF-8 read as Latin-1) is repaired, with `repaired=True`. The BOM is dropped;
nothing else (newlines, width, spaces) is touched: later stages do that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import chardet

from cleaners.charsets import BOMS, MAGIC, codec_for_label, find_declared_charset
from cleaners.document import Decoded, Refusal
from cleaners.mojibake import NOISE_RATING_MAX, Candidate, rank_decodings, rate_text, repair_mojibake

SAMPLE_BYTES = 65_536  # chardet and the candidate ratings see at most this much of a file
NUL_SHARE_BINARY = 0.001  # more NULs than this, and not UTF-16/32: binary
CONTROL_SHARE_SUSPECT = 0.05  # more control bytes than this: maybe UTF-16/32, maybe binary
CONTROL_SHARE_BINARY = 0.35  # more control bytes than this, and not UTF-16/32: binary
TEXT_RATING_MIN = 0.5  # `rate_text` of real writing in any script is above this
MAX_LOSS = 0.05  # share of U+FFFD the fallback may insert before the input is undecodable
CJK_UTF16_SHARE = 0.9  # share of UTF-16 code units that must look Chinese without a BOM or NULs
CHARDET_SURE = 0.3  # chardet's guesses below this confidence are not candidates by themselves
EVIDENCE_CHARS = 20  # non-ASCII characters needed before a rating earns full confidence
# GB18030 rating that needs no second opinion from chardet. On chardet's Chinese test corpus,
# windows of it and our corpora, wrong strict GB18030 decodings (of Big5 and others) rated 0.40
# at most; right ones mostly 0.8 and more.
GB_AT_SIGHT_RATING = 0.6
DECLARED_CONFIDENCE = 0.95
HZ_CONFIDENCE = 0.9
FALLBACK_CONFIDENCE = 0.2
FALLBACK_CODEC = "gb18030"

# Always rated in detection; chardet's other guesses only when it is sure of them (for short
# snippets it names cp949, johab or mac-cyrillic for Chinese bytes).
RELEVANT_CODECS = ("gb18030", "big5hkscs", "cp1252")
WIDE_CODECS = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")

_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
# High bytes of UTF-16 code units in Chinese text: ASCII, punctuation, CJK, fullwidth forms.
_CJK_HIGH_BYTES = bytes([0x00, 0x20, 0x30, *range(0x4E, 0xA0), 0xFF])
_BLANK_BYTES = b" \t\r\n\x0b\x0c"
# Every mark and signature, for one `bytes.startswith` before looking for which one it is.
_BOM_MARKS = tuple(bom.mark for bom in BOMS)
_MAGIC_PREFIXES = tuple(magic.prefix for magic in MAGIC)


@dataclass(frozen=True)
class Lossy:
    """Text decoded with errors replaced, and how many U+FFFD the codec inserted."""

    text: str
    replacements: int


def decode_bytes(data: bytes, *, max_bytes: int | None = None) -> Decoded | Refusal:
    """Decode an input's bytes, or refuse it with a reason code.

    >>> decode_bytes("同志们：".encode("gb18030")).text
    '同志们：'
    >>> decode_bytes(b"").reason
    'empty'
    """
    if max_bytes is not None and len(data) > max_bytes:
        # Callers read only max_bytes + 1 bytes of a big file, so len(data) is not its size.
        return Refusal("too_large", f"more than the limit of {max_bytes} bytes (--max-bytes)")
    refusal = refuse_bytes(data)
    if refusal:
        return refusal
    declared = find_declared_charset(data)
    decoded = decide_encoding(data, declared)
    if isinstance(decoded, Refusal):
        return decoded
    if not decoded.text or decoded.text.isspace():  # as `not text.strip()`, without the copy
        return Refusal("empty", f"decodes as {decoded.encoding} to whitespace only")
    repaired = repair_mojibake(decoded.text)
    return replace(decoded, text=repaired, repaired=repaired != decoded.text, declared=declared)


def refuse_bytes(data: bytes) -> Refusal | None:
    """Refuse inputs that are empty or start with a binary file signature, before decoding."""
    if not data[len(bom_mark(data)) :].strip(_BLANK_BYTES):
        return Refusal("empty", f"{len(data)} bytes, none of them text")
    if data.startswith(_MAGIC_PREFIXES):  # one C call for the usual input, which has none
        magic = next(magic for magic in MAGIC if data.startswith(magic.prefix))
        return Refusal("binary", f"starts with the signature of a {magic.kind}")
    return None


def bom_mark(data: bytes) -> bytes:
    """The byte-order mark the data starts with, or b"" (one C call for the usual input, which has none)."""
    if not data.startswith(_BOM_MARKS):
        return b""
    return next(bom.mark for bom in BOMS if data.startswith(bom.mark))


def decide_encoding(data: bytes, declared: str | None) -> Decoded | Refusal:
    """Run the layers in order; the first that decides returns."""
    bom = decode_bom(data)
    if bom:
        return bom
    nuls, controls = count_share(data, b"\x00"), count_share(data, _CONTROL_BYTES)
    if nuls > NUL_SHARE_BINARY or controls > CONTROL_SHARE_SUSPECT:
        wide = decode_wide(data, WIDE_CODECS)
        if wide:
            return wide
        if nuls > NUL_SHARE_BINARY:
            return Refusal("binary", f"{nuls:.1%} NUL bytes and not UTF-16/32 text")
        if controls > CONTROL_SHARE_BINARY:
            return Refusal("binary", f"{controls:.1%} control bytes")
    return (
        decode_hz(data)
        or decode_utf8(data)
        or decode_declared(data, codec_for_label(declared))
        or decode_wide(data, find_cjk_utf16(data[:SAMPLE_BYTES]) if len(data) % 2 == 0 else [])
        or detect_encoding(data, codec_for_label(declared))
        or decode_fallback(data)
    )


def count_share(data: bytes, byte_set: bytes) -> float:
    """Share of the first SAMPLE_BYTES of data that are in byte_set.

    >>> count_share(b"a\\x00b\\x00", b"\\x00")
    0.5
    """
    sample = data[:SAMPLE_BYTES]
    if len(byte_set) == 1:  # `bytes.count` scans for one byte far faster than `translate` copies
        return sample.count(byte_set) / len(sample)
    return len(sample.translate(None, complement(byte_set))) / len(sample)


@lru_cache(maxsize=8)
def complement(byte_set: bytes) -> bytes:
    """The byte values not in byte_set (the deletion table that keeps only byte_set)."""
    return bytes(set(range(256)) - set(byte_set))


def decode_bom(data: bytes) -> Decoded | None:
    """Decode by byte-order mark; a damaged tail is replaced and counted, never refused."""
    if not data.startswith(_BOM_MARKS):
        return None
    for bom in BOMS:
        if data.startswith(bom.mark):
            lossy = decode_lossy(data, bom.codec)
            if bom.codec == "utf-32" and lossy.replacements:
                continue  # FF FE 00 00 was a UTF-16 mark and a NUL character
            loss = lossy.replacements / max(len(lossy.text), 1)
            return Decoded(lossy.text, bom.codec, 1.0 - loss, "bom", replacements=lossy.replacements)
    return None


def decode_wide(data: bytes, wide_codecs: Iterable[str]) -> Decoded | None:
    """Read the bytes as BOM-less UTF-16/32 if one of these codecs gives real text on a sample."""
    best, best_rating = None, TEXT_RATING_MIN
    for codec in wide_codecs:
        # A cut UTF-16 tail is forgiven; UTF-32 that does not decode strictly is not UTF-32.
        sample = data[:SAMPLE_BYTES]
        lossy = decode_lossy(sample, codec) if "16" in codec else Lossy(decode_strict(sample, codec) or "", 0)
        rating = rate_text(lossy.text, with_ascii=True)
        if lossy.replacements <= MAX_LOSS * len(lossy.text) and rating >= best_rating:
            best, best_rating = codec, rating
    if best is None:
        return None
    lossy = decode_lossy(data, best)
    return Decoded(lossy.text, best, min(best_rating, 1.0), "detected", replacements=lossy.replacements)


def decode_hz(data: bytes) -> Decoded | None:
    """HZ: 7-bit GB2312 between `~{` and `~}`, which would otherwise pass for plain ASCII."""
    if not (data.isascii() and b"~{" in data and b"~}" in data):
        return None
    text = decode_strict(data, "hz")
    if text is None or text.isascii():
        return None
    return Decoded(text, "hz", HZ_CONFIDENCE, "detected")


def decode_utf8(data: bytes) -> Decoded | None:
    """Strict UTF-8 (which takes in pure ASCII)."""
    text = decode_strict(data, "utf-8")
    if text is None:
        return None
    return Decoded(text, "utf-8", 1.0, "utf8")


def decode_declared(data: bytes, codec: str | None) -> Decoded | None:
    """The declared codec, if the bytes decode cleanly with it and look like real text.

    A UTF-8 label has already had its chance, and a UTF-16/32 label found in ASCII-readable
    bytes is wrong by construction, so both go on to detection.
    """
    if codec is None or codec == "utf-8" or codec.startswith(("utf-16", "utf-32")):
        return None
    text = decode_strict(data, codec)
    if text is None or (not text.isascii() and rate_text(text[:SAMPLE_BYTES]) < TEXT_RATING_MIN):
        return None
    return Decoded(text, codec, DECLARED_CONFIDENCE, "declared")


def detect_encoding(data: bytes, declared_codec: str | None) -> Decoded | None:
    """Rank the candidate codecs on a sample; decode the whole input with the best that fits."""
    sample, truncated = data[:SAMPLE_BYTES], len(data) > SAMPLE_BYTES
    at_sight = decode_gb_at_sight(data, sample, truncated)
    if at_sight:
        return at_sight
    guesses = ask_chardet(sample)
    sure = {codec: confidence for codec, confidence in guesses.items() if confidence >= CHARDET_SURE}
    others = {codec: guesses.get(codec, 0.0) for codec in (*RELEVANT_CODECS, declared_codec) if codec}
    for candidate in rank_decodings(sample, others | sure, truncated=truncated):
        text = decode_strict(data, candidate.codec) if truncated else candidate.text
        if text is not None:
            return Decoded(text, candidate.codec, max(candidate.confidence, support(candidate)), "detected")
    return None


def decode_gb_at_sight(data: bytes, sample: bytes, truncated: bool) -> Decoded | None:
    """GB18030 without asking chardet, when it decodes the bytes strictly and the sample reads
    plainly as Chinese (GB_AT_SIGHT_RATING over EVIDENCE_CHARS characters or more).

    Most inputs that get this far are GB-family, and on them chardet is four fifths of the
    decode stage's time. The confidence is then the rating's `support` alone.
    """
    candidate = next(rank_decodings(sample, {FALLBACK_CODEC: 0.0}, truncated=truncated), None)
    if candidate is None or candidate.rating < GB_AT_SIGHT_RATING or candidate.evidence < EVIDENCE_CHARS:
        return None
    text = decode_strict(data, FALLBACK_CODEC) if truncated else candidate.text  # the sample is the data
    return None if text is None else Decoded(text, FALLBACK_CODEC, support(candidate), "detected")


def support(candidate: Candidate) -> float:
    """How far a candidate's rating alone vouches for it: the rating, scaled down on little evidence."""
    return min(candidate.rating, 1.0) * min(candidate.evidence / EVIDENCE_CHARS, 1.0)


def find_cjk_utf16(sample: bytes) -> list[str]:
    """The UTF-16 byte orders whose code units are nearly all CJK, CJK punctuation or ASCII.

    UTF-16 Chinese without ASCII has no NULs to give it away; its high bytes do.

    >>> find_cjk_utf16("同志们，一、加强党的建设".encode("utf-16-be"))
    ['utf-16-be']
    """
    found = []
    for codec, high_bytes in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        plausible = len(high_bytes) - len(high_bytes.translate(None, _CJK_HIGH_BYTES))
        if plausible >= CJK_UTF16_SHARE * len(high_bytes):
            found.append(codec)
    return found


def ask_chardet(sample: bytes) -> dict[str, float]:
    """chardet's guesses as Python codecs (widened to supersets) and their confidence."""
    confidences: dict[str, float] = {}
    for guess in chardet.detect_all(sample, ignore_threshold=True, max_bytes=SAMPLE_BYTES):
        codec = codec_for_label(guess["encoding"])
        if codec and codec not in confidences:
            confidences[codec] = guess["confidence"] or 0.0
    return confidences


def decode_fallback(data: bytes) -> Decoded | Refusal:
    """GB18030 with replacement characters, refused as `undecodable` when too much is lost."""
    lossy = decode_lossy(data, FALLBACK_CODEC)
    loss = lossy.replacements / max(len(lossy.text), 1)
    rating = rate_text(lossy.text[:SAMPLE_BYTES], with_ascii=True)
    if loss > MAX_LOSS or rating <= NOISE_RATING_MAX:
        return Refusal(
            "undecodable",
            f"no codec decodes it cleanly; {FALLBACK_CODEC} loses {loss:.1%} of it and rates {rating:.2f}",
        )
    confidence = FALLBACK_CONFIDENCE * (1.0 - loss)
    return Decoded(lossy.text, FALLBACK_CODEC, confidence, "fallback", replacements=lossy.replacements)


def decode_strict(data: bytes, codec: str) -> str | None:
    """The text, or None when the bytes are not valid in that codec."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_lossy(data: bytes, codec: str) -> Lossy:
    """Decode replacing errors; each error inserts one U+FFFD, so the lengths tell how many.

    >>> decode_lossy(b"ok\\xff", "utf-8")
    Lossy(text='ok\\ufffd', replacements=1)
    """
    text = decode_strict(data, codec)
    if text is not None:
        return Lossy(text, 0)
    text = data.decode(codec, errors="replace")
    return Lossy(text, len(text) - len(data.decode(codec, errors="ignore")))
