"""Fuzz every cleaning stage and the composed `clean_input`: no exceptions, no lost ideographs.

Strategies are biased to the genre (CJK sentences, full- and half-width punctuation, outline
markers 一、（一）1.（1）, HTML tags, BOMs, NULs) so examples reach deep into the stages, plus plain
arbitrary text and bytes. Profiles: `ci` (default, a few dozen examples a test, keeps the suite
fast) and `fuzz` (20,000 a test): `HYPOTHESIS_PROFILE=fuzz python3 -m pytest tests/test_fuzz.py`;
`FUZZ_EXAMPLES=N` sets the count directly.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.boilerplate import normalize_for_matching, strip_boilerplate
from cleaners.decode import decode_bytes
from cleaners.document import Decoded, Line, Refusal
from cleaners.extract import extract_lines, extract_plain
from cleaners.headings import build_sections, is_heading
from cleaners.metadata import parse_date
from cleaners.mojibake import repair_mojibake
from cleaners.pipeline import clean_input
from cleaners.punctuation import normalize_punctuation
from cleaners.records import dump_record, load_records, load_schema
from cleaners.reflow import reflow_lines
from cleaners.settings import Settings
from cleaners.site_memory import SiteMemory
from cleaners.structure import split_speeches
from cleaners.titles import clean_title, is_title_like

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=_QUIET)
# Applied per test, not loaded globally, so other modules' hypothesis tests keep their settings.
FUZZ = settings(settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")))
if os.environ.get("FUZZ_EXAMPLES"):  # e.g. FUZZ_EXAMPLES=2000 for a medium round
    FUZZ = settings(FUZZ, max_examples=int(os.environ["FUZZ_EXAMPLES"]))
SLOW = settings(FUZZ, max_examples=max(10, FUZZ.max_examples // 4))  # clean_input runs jieba

IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")

WORDS = [
    "同志们",
    "我们",
    "要",
    "坚持",
    "加强",
    "党的建设",
    "全面从严治党",
    "作风",
    "纪律",
    "干部",
    "群众",
    "落实",
    "责任",
    "学习",
    "教育",
    "会议",
    "讲话",
    "党课",
    "廉洁",
    "发展",
    "安全生产",
    "基层",
    "组织",
    "谢谢大家",
    "今天",
    "召开",
    "某某",
    "XX",
    "2025年6月18日",
    "Python",
    "https://a.cn/x?y=1",
]
PUNCT = list("，。、；：！？“”‘’（）《》【】……——,.;:!?\"'()[]<>-~ \u3000\t")
MARKERS = [
    "一、",
    "二、",
    "（一）",
    "（二）",
    "(三)",
    "1.",
    "2、",
    "（1）",
    "(2)",
    "一是",
    "第一，",
    "首先，",
    "①",
]
NOISE = [
    "\ufeff",
    "\x00",
    "\r",
    "\r\n",
    "<p>",
    "</p>",
    "<br>",
    "<div class='content'>",
    "</div>",
    "<h1>",
    "</h1>",
    "<a href='/x'>",
    "</a>",
    "&nbsp;",
    "<script>x=1</script>",
    "\u200b",
    "\ufffd",
]
CHROME = [
    "首页 | 讲话稿 | 党课",
    "浏览量：45",
    "发布时间：2026-01-30",
    "立即下载",
    "VIP专享",
    "版权所有",
    "当前位置：首页 > 讲话",
    "（全文3623字）",
    "本站资料来自网友投稿",
    "热门文章",
]
TRICKY = [
    "- 列表",
    "键: 值",
    "# 注释",
    "'单引号'",
    '"双引号"',
    "!!python/object:os.system",
    "null",
    "yes",
    "2025-01-01",
    "~",
    "{a: 1}",
    "[1, 2]",
    "&anchor",
    "*alias",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
    "@x",
    "`x`",
    "0o17",
    "1e3",
    ".inf",
    "\u2028",
    "\x85",
    "  前后空格  ",
]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PUNCT),
    st.sampled_from(MARKERS),
    st.sampled_from(NOISE),
    st.sampled_from(TRICKY),
    st.text(max_size=6),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
)
genre_line = st.lists(token, max_size=14).map("".join)
genre_text = st.lists(genre_line, max_size=30).map("\n".join)
any_text = st.one_of(st.text(), genre_text)


@st.composite
def speech_texts(draw: st.DrawFn) -> str:
    """A whole speech: chrome, a title, a salutation, numbered sections of sentences, noise."""
    sentence = st.lists(st.sampled_from(WORDS[:24]), min_size=6, max_size=16).map(
        lambda ws: "，".join(ws) + "。"
    )
    lines = draw(st.lists(st.sampled_from(CHROME), max_size=3))
    lines.append(
        draw(
            st.sampled_from(
                ["在全县作风建设推进会上的讲话", "党课：守好廉洁底线", "在某某会议上的讲话_某某文库"]
            )
        )
    )
    lines.append("同志们：")
    for marker in draw(st.lists(st.sampled_from(MARKERS), min_size=1, max_size=5)):
        lines.append(marker + draw(st.sampled_from(WORDS[:24])) + draw(st.sampled_from(WORDS[:24])))
        lines += draw(st.lists(sentence, min_size=1, max_size=4))
    lines += draw(st.lists(st.one_of(genre_line, st.sampled_from(TRICKY + CHROME)), max_size=4))
    return "\n".join(lines)


any_doc = st.one_of(any_text, speech_texts())


def ideographs(texts) -> str:
    return "".join(IDEOGRAPH.findall("".join(texts)))


def as_lines(text: str, tagged: bool = False) -> tuple[Line, ...]:
    return tuple(Line(t, i, "p" if tagged and i % 3 == 0 else "") for i, t in enumerate(text.split("\n")))


encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be"]
)


@st.composite
def raw_bytes(draw: st.DrawFn) -> bytes:
    """Arbitrary bytes, or genre text in a common encoding, possibly cut, prefixed or NUL-riddled."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=2_000))
    data = draw(any_doc).encode(draw(encodings), errors="ignore")
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return (
        draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"%PDF-", b"<html><body>"])) + data
    )


# -- stages: never raise, never lose ideographs ----------------------------------------------


@FUZZ
@given(raw_bytes())
def test_decode_bytes_never_raises(data):
    decoded = decode_bytes(data, max_bytes=1_500)
    assert isinstance(decoded, Decoded | Refusal)
    if isinstance(decoded, Refusal):
        assert decoded.reason in {"empty", "binary", "too_large", "undecodable"} and decoded.detail
    else:
        assert decoded.text.strip() and len(data) <= 1_500


@FUZZ
@given(any_text)
def test_repair_mojibake_never_raises(text):
    assert isinstance(repair_mojibake(text), str)


@FUZZ
@given(any_doc)
def test_extract_never_raises_and_plain_text_keeps_every_line(text):
    extracted = extract_lines(text)
    assert all(isinstance(line.text, str) for line in extracted.lines)
    plain = extract_plain(text)
    assert "\n".join(line.text for line in plain.lines) == re.sub(r"\r\n|\r", "\n", text).removesuffix("\n")


@FUZZ
@given(any_doc, st.frozensets(st.sampled_from([normalize_for_matching(c) for c in CHROME]), max_size=3))
def test_strip_boilerplate_keeps_or_removes_every_line(text, learned):
    lines = as_lines(text)
    stripped = strip_boilerplate(lines, learned=learned)
    for line in lines:
        kept = [k.text for k in stripped.lines if k.index == line.index]
        gone = [r.text for r in stripped.removed if r.index == line.index]
        assert kept or gone, f"line {line.index} vanished: {line.text!r}"
        assert ideographs(kept + gone) == ideographs([line.text]), line.text
    assert all(r.reason and r.stage == "boilerplate" for r in stripped.removed)


@FUZZ
@given(any_doc, st.booleans())
def test_reflow_keeps_the_sequence_of_ideographs(text, tagged):
    lines = as_lines(text, tagged)
    out = reflow_lines(lines)
    assert ideographs(line.text for line in out) == ideographs(line.text for line in lines)
    assert all(line.text and line.text == line.text.strip() for line in out)


@FUZZ
@given(any_doc)
def test_normalize_punctuation_keeps_ideographs_and_is_idempotent(text):
    once = normalize_punctuation(text)
    assert ideographs([once]) == ideographs([text])
    assert normalize_punctuation(once) == once


@FUZZ
@given(any_doc)
def test_headings_never_raise_and_sections_keep_every_paragraph(text):
    paragraphs = text.split("\n")
    for paragraph in paragraphs:
        is_heading(paragraph), is_title_like(paragraph), clean_title(paragraph), parse_date(paragraph)
    sections = build_sections(paragraphs)
    flat = [t for s in sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs]
    assert flat == [p.strip() for p in paragraphs if p.strip()]
    assert all(0 <= s.level <= 4 for s in sections)


@FUZZ
@given(any_doc, st.one_of(st.none(), genre_line))
def test_split_speeches_never_raises_and_keeps_body_lines(text, page_title):
    lines = reflow_lines(as_lines(text))
    drafts = split_speeches(lines, (), page_title)
    placed = set()
    for draft in drafts:
        placed.update(t for s in draft.sections for t in ((s.heading,) if s.heading else ()) + s.paragraphs)
        placed.update(draft.header)
        placed.update(r.text.strip() for r in draft.removed)
    titles = "".join(d.title for d in drafts)
    for line in lines:
        text = line.text.strip()
        if drafts and text:
            assert text in placed or clean_title(text) in titles or text in titles, text


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["site:a", "dir:b"]), any_doc), max_size=6))
def test_site_memory_never_raises_and_round_trips(docs):
    memory = SiteMemory(max_lines_per_site=50)
    for site, text in docs:
        memory.observe(site, as_lines(text))
    again = SiteMemory.from_dict(memory.to_dict())
    assert again.to_dict() == memory.to_dict()
    for site, _ in docs:
        assert memory.learned(site) == again.learned(site)


# -- the composed pipeline and the record it writes ---------------------------------------------


@SLOW
@given(raw_bytes())
def test_clean_input_never_raises_and_records_round_trip(data):
    import jsonschema

    result = clean_input(data, "fuzz/input.txt", Settings(max_bytes=1_500))
    assert (result.refusal is None) == bool(result.records)
    if result.refusal:
        assert result.refusal.reason in {
            "empty", "binary", "too_large", "undecodable", "no_speech",
            "encrypted", "corrupt", "hostile", "no_text_layer",  # bytes that open like a PDF or RTF
        }
    for record in result.records:
        jsonschema.validate(record, load_schema())
        text = dump_record(record)
        (loaded,) = load_records(text)
        assert loaded == record
        assert dump_record(loaded) == text


@SLOW
@given(speech_texts(), encodings)
def test_speeches_in_any_encoding_become_records(text, encoding):
    result = clean_input(text.encode(encoding, errors="ignore"), "fuzz/speech.txt", Settings())
    for record in result.records:
        (loaded,) = load_records(dump_record(record))
        assert loaded == record


@FUZZ
@given(st.dictionaries(st.text(max_size=8), st.one_of(any_text, st.sampled_from(TRICKY)), max_size=6))
def test_any_string_survives_a_yaml_round_trip(fields):
    record = {"title": "x", "sections": [{"heading": None, "level": 0, "paragraphs": list(fields.values())}]}
    record.update(fields)
    (loaded,) = load_records(dump_record(record))
    assert loaded == record
