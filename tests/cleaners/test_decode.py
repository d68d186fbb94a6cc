"""The decode stage: each layer, the short-snippet cases, mojibake, and every refusal.

Fixtures are short synthetic speeches, encoded into bytes here; every test checks the decoded
text against the original, not just that something came back.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252 for the mojibake fixture)
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaners import decode
from cleaners.decode import decode_bytes
from cleaners.document import Decoded, Refusal
from cleaners.mojibake import (
    CHARDET_WEIGHT,
    NOISE_RATING_MAX,
    RUN_LENGTH,
    RUN_WEIGHT,
    Candidate,
    rank_decodings,
    rate_text,
    weigh_char,
)
from flows.record_tools.detect import detect_files

SPEECH = "同志们：\n一、加强党的建设\n（一）坚持学习，提高认识。\n我们要把各项工作做好。\n"
TRADITIONAL = "同志們：\n一、加強黨的建設\n（一）堅持學習，提高認識。\n我們要把各項工作做好。\n"
GBK_ONLY = "朱镕基同志和陶喆同志讲话：\n一、总结经验\n"  # 镕 and 喆 are not in GB2312
FOUR_BYTE = "南汉刘䶮的故事，𠮷字的写法。\n" + SPEECH  # 䶮 and 𠮷 take four bytes in GB18030


def page(body: str, meta: str = "") -> str:
    """A small HTML page around a speech, with an optional <meta> in its head."""
    return f"<html><head>{meta}<title>讲话</title></head><body><p>{body}</p></body></html>"


@dataclass(frozen=True)
class Case:
    """Bytes built from `text`, and what decode_bytes must say about them."""

    name: str
    data: bytes
    text: str
    encoding: str
    method: str
    declared: str | None = None


CASES = [
    Case("utf-8-sig", codecs.BOM_UTF8 + SPEECH.encode(), SPEECH, "utf-8-sig", "bom"),
    Case("utf-16le-bom", codecs.BOM_UTF16_LE + SPEECH.encode("utf-16-le"), SPEECH, "utf-16", "bom"),
    Case("utf-16be-bom", codecs.BOM_UTF16_BE + SPEECH.encode("utf-16-be"), SPEECH, "utf-16", "bom"),
    Case("utf-32-bom", SPEECH.encode("utf-32"), SPEECH, "utf-32", "bom"),
    Case("utf-8", SPEECH.encode(), SPEECH, "utf-8", "utf8"),
    Case(
        "meta-says-gb2312-bytes-utf8",
        page(SPEECH, '<meta charset="gb2312">').encode(),
        page(SPEECH, '<meta charset="gb2312">'),
        "utf-8",
        "utf8",
        "gb2312",
    ),
    Case(
        "meta-says-utf8-bytes-gbk",
        page(SPEECH, '<meta charset="utf-8">').encode("gbk"),
        page(SPEECH, '<meta charset="utf-8">'),
        "gb18030",
        "detected",
        "utf-8",
    ),
    Case(
        "http-equiv-gb2312",
        page(SPEECH, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk"),
        page(SPEECH, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'),
        "gb18030",
        "declared",
        "gb2312",
    ),
    Case(
        "gbk-only-chars-under-gb2312-label",
        page(GBK_ONLY, "<meta charset=gb2312>").encode("gbk"),
        page(GBK_ONLY, "<meta charset=gb2312>"),
        "gb18030",
        "declared",
        "gb2312",
    ),
    Case(
        "xml-declaration-big5",
        f'<?xml version="1.0" encoding="big5"?><speech>{TRADITIONAL}</speech>'.encode("big5"),
        f'<?xml version="1.0" encoding="big5"?><speech>{TRADITIONAL}</speech>',
        "big5hkscs",
        "declared",
        "big5",
    ),
    Case("missing-meta-gbk", page(SPEECH).encode("gbk"), page(SPEECH), "gb18030", "detected"),
    Case("plain-gbk", SPEECH.encode("gbk"), SPEECH, "gb18030", "detected"),
    Case("four-byte-gb18030", FOUR_BYTE.encode("gb18030"), FOUR_BYTE, "gb18030", "detected"),
    Case("big5", TRADITIONAL.encode("big5"), TRADITIONAL, "big5hkscs", "detected"),
    Case("hz", SPEECH.encode("hz"), SPEECH, "hz", "detected"),
    Case("utf-16le-no-bom", SPEECH.encode("utf-16-le"), SPEECH, "utf-16-le", "detected"),
    Case("utf-16be-no-bom", SPEECH.encode("utf-16-be"), SPEECH, "utf-16-be", "detected"),
    Case("utf-16le-cjk-only-no-nuls", "同志们加强党的建设坚持学习".encode("utf-16-le"),
         "同志们加强党的建设坚持学习", "utf-16-le", "detected"),
    Case("gb-snippet-10-chars", "同志们，加强党的建设".encode("gb18030"), "同志们，加强党的建设",
         "gb18030", "detected"),
    Case("big5-snippet-10-chars", "同志們，加強黨的建設".encode("big5"), "同志們，加強黨的建設",
         "big5hkscs", "detected"),
    Case("crlf-kept", SPEECH.replace("\n", "\r\n").encode("gbk"), SPEECH.replace("\n", "\r\n"),
         "gb18030", "detected"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_decode_layers(case: Case) -> None:
    decoded = decode_bytes(case.data)
    assert isinstance(decoded, Decoded), decoded
    assert decoded.text == case.text
    assert (decoded.encoding, decoded.method, decoded.declared) == (case.encoding, case.method, case.declared)
    assert decoded.replacements == 0 and not decoded.repaired
    assert 0.0 < decoded.confidence <= 1.0


@pytest.mark.parametrize("mangle", ["latin-1", "sloppy-windows-1252"])
def test_mojibake_is_repaired(mangle: str) -> None:
    mojibake = SPEECH.encode("utf-8").decode(mangle).encode("utf-8")
    decoded = decode_bytes(mojibake)
    assert isinstance(decoded, Decoded)
    assert decoded.text == SPEECH
    assert (decoded.repaired, decoded.method, decoded.encoding) == (True, "utf8", "utf-8")


def test_repair_keeps_fullwidth_punctuation_and_curly_quotes() -> None:
    text = "他说：“要（一）抓落实！”\n"
    decoded = decode_bytes(text.encode("utf-8").decode("latin-1").encode("utf-8"))
    assert isinstance(decoded, Decoded) and decoded.text == text


def test_fallback_counts_replacements() -> None:
    good = (SPEECH * 3).encode("gb18030")
    decoded = decode_bytes(good[:40] + b"\xff" + good[40:])
    assert isinstance(decoded, Decoded)
    assert (decoded.method, decoded.encoding, decoded.replacements) == ("fallback", "gb18030", 1)
    assert decoded.text.replace("\ufffd", "") == SPEECH * 3


def test_truncated_bom_text_counts_the_lost_byte() -> None:
    decoded = decode_bytes(codecs.BOM_UTF16_LE + SPEECH.encode("utf-16-le") + b"\x41")
    assert isinstance(decoded, Decoded)
    assert (decoded.text, decoded.replacements) == (SPEECH + "\ufffd", 1)


def nul_riddled(data: bytes) -> bytes:
    """Insert a NUL after every fifth byte: too many NULs for text, not a UTF-16 pattern."""
    return b"".join(data[i : i + 5] + b"\x00" for i in range(0, len(data), 5))


REFUSALS = [
    pytest.param(b"", None, "empty", id="empty"),
    pytest.param(b" \r\n\t ", None, "empty", id="whitespace"),
    pytest.param(codecs.BOM_UTF8 + b"\r\n", None, "empty", id="bom-only"),
    pytest.param(" \n\u3000".encode("utf-16"), None, "empty", id="utf16-whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(40)), None, "binary", id="png"),
    pytest.param(b"%PDF-1.7\n" + SPEECH.encode(), None, "binary", id="pdf"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00" + SPEECH.encode(), None, "binary", id="docx-zip"),
    pytest.param(nul_riddled(SPEECH.encode("gbk")), None, "binary", id="nul-riddled"),
    pytest.param(bytes(range(1, 9)) * 20, None, "binary", id="control-riddled"),
    pytest.param(SPEECH.encode(), 10, "too_large", id="too-large"),
    pytest.param(b"\x80\xff" * 50, None, "undecodable", id="undecodable"),
]


@pytest.mark.parametrize(("data", "max_bytes", "reason"), REFUSALS)
def test_refusals(data: bytes, max_bytes: int | None, reason: str) -> None:
    refusal = decode_bytes(data, max_bytes=max_bytes)
    assert isinstance(refusal, Refusal)
    assert refusal.reason == reason
    assert refusal.detail


def test_max_bytes_allows_inputs_at_the_limit() -> None:
    data = SPEECH.encode()
    decoded = decode_bytes(data, max_bytes=len(data))
    assert isinstance(decoded, Decoded) and decoded.text == SPEECH


SPEECH_ALPHABET = st.sampled_from(list("同志们一二三、（）：，。的党建设学习工作会议要加强在和是 \nabc123"))


@given(st.text(SPEECH_ALPHABET, min_size=1).filter(str.strip))
def test_utf8_and_bom_round_trip(text: str) -> None:
    for data in (text.encode(), codecs.BOM_UTF8 + text.encode(), text.encode("utf-16")):
        decoded = decode_bytes(data)
        assert isinstance(decoded, Decoded) and decoded.text == text


@given(st.text(SPEECH_ALPHABET, min_size=8).filter(lambda t: sum(c >= "\u4e00" for c in t) >= 6))
def test_gb18030_round_trip(text: str) -> None:
    decoded = decode_bytes(text.encode("gb18030"))
    assert isinstance(decoded, Decoded) and decoded.text == text


def test_detect_files_prints_one_json_line_per_path(tmp_path, capsys) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SPEECH.encode("gbk"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = str(tmp_path / "missing.txt")
    assert detect_files([str(gbk), str(empty), missing], as_json=True) == 1  # one file unreadable
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["path"], o["encoding"], o["refused"]) for o in lines] == [
        (str(gbk), "gb18030", None),
        (str(empty), None, "empty"),
        (missing, None, "unreadable"),
    ]
    assert {"confidence", "method", "declared"} <= lines[0].keys()


def test_detect_files_plain_output(tmp_path, capsys) -> None:
    path = tmp_path / "utf8.txt"
    path.write_bytes(SPEECH.encode())
    assert detect_files([str(path)], as_json=False) == 0
    assert capsys.readouterr().out == f"{path}\tutf-8\t1.0\tutf8\ttext\n"


# -- rating and ranking decodings -------------------------------------------------------------


def rate_char_by_char(text: str) -> float:
    """`rate_text` as its definition reads (without `with_ascii`): the mean weight of the non-ASCII
    characters, each added in turn, Latin-1-like ones capped inside long runs."""
    total, count = 0.0, 0
    for run in re.findall(r"[^\x00-\x7f]+", text):
        for char in run:
            weight = weigh_char(char)
            capped = len(run) > RUN_LENGTH and not weight.runs
            total += min(weight.weight, RUN_WEIGHT) if capped else weight.weight
        count += len(run)
    return total / count if count else 0.0


MIXED_SCRIPTS = st.text(st.one_of(
    SPEECH_ALPHABET,
    st.characters(min_codepoint=0x80, max_codepoint=0x2FF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF),
    st.characters(),
), max_size=200)


@given(MIXED_SCRIPTS)
def test_rate_text_is_the_mean_weight_added_in_text_order(text: str) -> None:
    assert rate_text(text) == rate_char_by_char(text)


def rank_by_rating_all(sample: bytes, confidences: dict[str, float]) -> list[Candidate]:
    """Every strict decoding rated, the noise dropped, the rest sorted: what ranking must give."""
    candidates = []
    for codec, confidence in confidences.items():
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        evidence = sum(not c.isascii() for c in text)
        candidates.append(Candidate(codec, rate_text(text), confidence, evidence))
    return sorted(
        (c for c in candidates if c.rating > NOISE_RATING_MAX),
        key=lambda c: c.rating + CHARDET_WEIGHT * c.confidence,
        reverse=True,
    )


CODECS = ["gb18030", "gbk", "big5hkscs", "big5", "cp1252", "latin-1", "utf-16-le", "shift_jis", "cp949"]
HANZI_TEXT = st.text(st.sampled_from(SPEECH + TRADITIONAL + GBK_ONLY), min_size=1, max_size=30)


@given(
    st.one_of(
        st.binary(max_size=80),
        st.builds(lambda t, codec: t.encode(codec, errors="ignore"), HANZI_TEXT, st.sampled_from(CODECS)),
    ),
    st.dictionaries(st.sampled_from(CODECS), st.sampled_from([0.0, 0.01, 0.3, 0.7, 0.99, 1.0]), min_size=1),
)
def test_ranking_rates_lazily_but_ranks_as_rating_every_decoding(sample: bytes, confidences) -> None:
    ranked = list(rank_decodings(sample, confidences, truncated=False))
    assert ranked == rank_by_rating_all(sample, confidences)


def test_plain_gb_text_is_decoded_at_sight_without_chardet(monkeypatch) -> None:
    def no_chardet(sample: bytes) -> dict[str, float]:
        raise AssertionError("chardet was asked about plainly Chinese GB18030 bytes")

    monkeypatch.setattr(decode, "ask_chardet", no_chardet)
    result = decode_bytes((SPEECH * 2).encode("gb18030"))
    assert (result.text, result.encoding, result.method) == (SPEECH * 2, "gb18030", "detected")
    assert 0.6 <= result.confidence <= 1.0


def test_big5_and_short_gb_snippets_still_ask_chardet(monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(decode, "ask_chardet", lambda sample: asked.append(sample) or {})
    big5 = decode_bytes((TRADITIONAL * 2).encode("big5"))
    snippet = decode_bytes("同志们好".encode("gb18030"))  # four ideographs: too little evidence
    assert (big5.text, big5.encoding, snippet.text, snippet.encoding) == (
        TRADITIONAL * 2, "big5hkscs", "同志们好", "gb18030"
    )
    assert len(asked) == 2
