"""Tests for boilerplate removal: data-driven cases, rule loading, learned and repeated lines."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cleaners.boilerplate import (
    ENOUGH_CJK,
    PLAIN_TEXT,
    load_boilerplate_rules,
    may_end_with,
    nfkc,
    normalize_for_matching,
    normalize_lines,
    scan_lines,
    strip_boilerplate,
)
from cleaners.chars import CJK
from cleaners.document import Line
from cleaners.regex_needs import chars_every_match_has, first_char_class, trigger_for

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "boilerplate.yaml").read_text(encoding="utf-8"))
SPEECH = "今天我们召开全县春季农业生产工作会议，主要任务是分析形势、明确目标，部署全年农业农村重点工作。"


def as_lines(texts: list[str]) -> list[Line]:
    """Number made-up lines the way plain-text extraction does."""
    return [Line(text=text, index=i) for i, text in enumerate(texts)]


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_case(case: dict) -> None:
    stripped = strip_boilerplate(as_lines(case["lines"]))
    got = {(r.text, r.reason) for r in stripped.removed if r.reason != "length_marker"}
    assert got == {tuple(pair) for pair in case["removed"]}
    kept = [line.text for line in stripped.lines]
    for text in case["kept"]:
        assert text in kept
    assert stripped.paywalled is case["paywalled"]
    assert all(r.stage == "boilerplate" for r in stripped.removed)


def test_matching_ignores_width_and_spacing() -> None:
    assert normalize_for_matching("浏览量:45") == normalize_for_matching("浏览量：４５")
    assert normalize_for_matching(" 点赞　0 ") == "点赞0"


# Full-width forms next to what composes with them once narrowed (Ａ + combining acute → Á).
WIDTH_MIX = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("Ａａ０　，（\u0301\u0308\u3099가ᅡᆨ")))


@given(WIDTH_MIX)
def test_fast_nfkc_is_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize("line", ["浏览量:45", "浏览量：45", "阅读：87次", "点赞 0", "收藏0"])
def test_counters_either_width(line: str) -> None:
    stripped = strip_boilerplate(as_lines([SPEECH, line]))
    assert [r.reason for r in stripped.removed] == ["site_chrome"]


def test_length_marker_line_and_title_suffix() -> None:
    stripped = strip_boilerplate(as_lines(["在全县大会上的讲话（全文2800字）", "(全文2800字)", SPEECH]))
    assert stripped.lines[0].text == "在全县大会上的讲话"
    assert [(r.index, r.text, r.reason) for r in stripped.removed] == [
        (0, "（全文2800字）", "length_marker"),
        (1, "(全文2800字)", "length_marker"),
    ]


def test_blank_lines_pass_through() -> None:
    lines = as_lines(["", SPEECH, "  ", "相关文章", ""])
    stripped = strip_boilerplate(lines)
    assert [line.index for line in stripped.lines] == [0, 1, 2, 4]


def test_learned_line_removed_as_repeated_across_site() -> None:
    footer = "本站文稿均由网友投稿上传"
    learned = frozenset({normalize_for_matching(footer)})
    stripped = strip_boilerplate(as_lines([SPEECH, footer]), learned=learned)
    assert [(r.text, r.reason) for r in stripped.removed] == [(footer, "repeated_across_site")]


def test_learned_never_removes_salutation() -> None:
    stripped = strip_boilerplate(as_lines(["同志们：", SPEECH]), learned=frozenset({"同志们:"}))
    assert stripped.removed == ()


def test_compilation_salutations_are_not_running_headers() -> None:
    texts = ["同志们：", SPEECH] * 3 + ["在全县大会上的讲话", SPEECH] * 3
    assert strip_boilerplate(as_lines(texts)).removed == ()


def test_promo_inside_speech_line_keeps_the_line() -> None:
    line = SPEECH + "今天推送这篇讲话，以供大家借鉴使用。"
    middle = as_lines([SPEECH, line, SPEECH])
    assert strip_boilerplate(middle).removed == ()


def test_rules_are_cached_and_extensible(tmp_path: Path) -> None:
    assert load_boilerplate_rules() is load_boilerplate_rules()
    custom = tmp_path / "rules.yaml"
    custom.write_text("ad_banner:\n  phrases: [限时特惠]\n  patterns: []\n", encoding="utf-8")
    stripped = strip_boilerplate(as_lines([SPEECH, "限时特惠 全场五折"]), load_boilerplate_rules(custom))
    assert [r.reason for r in stripped.removed] == ["ad_banner"]


@given(st.lists(st.text(alphabet="同志们今天会议要讲话：，。！ 0123-|>页第", max_size=30), max_size=12))
def test_every_line_is_kept_or_removed(texts: list[str]) -> None:
    stripped = strip_boilerplate(as_lines(texts))
    kept = {line.index for line in stripped.lines}
    removed = {r.index for r in stripped.removed if r.reason != "length_marker"}
    assert kept.isdisjoint(removed)
    assert kept | removed == set(range(len(texts)))


# -- the shortcuts that keep the stage fast must not change a verdict --------------------------

RULES = load_boilerplate_rules()
PHRASES = [p for c in RULES.categories for p in c.phrases]
SNIPPETS = ["（全文3623字）", "(本文约2,800余字)", "全文", "本文", "字", "约", "浏览量：45", "第3页", "©2024",
            "发布时间：", "来源：", "责任编辑：", "记者 ", "通讯员", "(c)2024", "编辑整理", "欢迎您",
            "同志们："]
PIECE = st.sampled_from(SNIPPETS + PHRASES)
PLAIN_CHAR = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xA0, max_codepoint=0xFF),
    st.characters(min_codepoint=0x2000, max_codepoint=0x206F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF60),
)
PLAIN_LINE = st.lists(st.one_of(PIECE, st.text(PLAIN_CHAR, max_size=6))).map("".join)
ANY_LINE = st.lists(st.one_of(PIECE, st.text(max_size=4))).map("".join)


def test_plain_text_normalises_character_by_character() -> None:
    """No plain character's NFKC form starts with one that combines with, or reorders around,
    the character before it; so NFKC of plain text is the NFKC of each character in turn."""
    follows_a_starter = set()
    for code in range(0x110000):
        follows_a_starter.update(unicodedata.normalize("NFD", chr(code))[1:])
    plain = [chr(code) for code in range(0x10000) if PLAIN_TEXT.fullmatch(chr(code))]
    assert len(plain) > 20_000
    for char in plain:
        first = unicodedata.normalize("NFKD", char)[0]
        assert unicodedata.combining(first) == 0 and first not in follows_a_starter, hex(ord(char))


@given(PLAIN_LINE.filter(lambda text: PLAIN_TEXT.fullmatch(text) is not None))
def test_each_tail_of_plain_text_keys_to_the_end_of_its_key(text: str) -> None:
    key = normalize_for_matching(text)
    assert all(key.endswith(normalize_for_matching(text[start:])) for start in range(len(text)))


@given(ANY_LINE)
def test_no_tail_matches_the_length_marker_when_the_line_could_not_end_with_one(text: str) -> None:
    if not may_end_with(RULES.length_marker, scan_lines([Line(text, 0)])[0]):
        tails = (normalize_for_matching(text[start:]) for start in range(len(text)))
        assert not any(RULES.length_marker.matches(tail) for tail in tails)


def test_lines_that_do_not_normalise_char_by_char_are_searched_tail_by_tail(tmp_path: Path) -> None:
    """A tail can key to what the whole line's key lacks: an accent after `e` composes to `é` in
    the line, but stands alone in the one-character tail."""
    custom = tmp_path / "rules.yaml"
    custom.write_text('length_marker:\n  patterns: ["^\\u0301$"]\n', encoding="utf-8")
    stripped = strip_boilerplate(as_lines(["在全县大会上的讲话e\u0301"]), load_boilerplate_rules(custom))
    assert stripped.lines[0].text == "在全县大会上的讲话e"
    assert [(r.text, r.reason) for r in stripped.removed] == [("\u0301", "length_marker")]


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        (r"^(全文|本文)约?\d+字$", "文字"),
        (r"第\d+页(,?共\d+页)?$", "第页"),
        (r"a{2,}b*c{0,3}d+?", "ad"),
        (r"(?i:vip)专享", "专享"),
        (r"(?i)vip专享", ""),
        (r"^copyright|©", ""),
    ],
)
def test_chars_every_match_has(pattern: str, chars: str) -> None:
    assert chars_every_match_has(re.compile(pattern)) == frozenset(chars)


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (r"^(本文|文章)?来源[:]", "[文本来]"),
        (r"^[(\[【]?原标题", r"[\(\[【原]"),
        (r"^(?=a)\d+", r"[\d]"),
        (r"^x?", None),  # matches the empty text: any first character
        (r"^[^a]b", None),
        (r"^.{0,12}欢迎", None),
    ],
)
def test_first_char_class(pattern: str, first: str | None) -> None:
    found = first_char_class(re.compile(pattern))
    assert (found.pattern if found else None) == first


@given(st.lists(st.text("来源稿摄ab", min_size=1, max_size=4), max_size=6), st.text("来源稿摄abc"))
def test_trigger_finds_text_holding_one_of_the_strings(strings: list[str], text: str) -> None:
    found = trigger_for(tuple(strings)).search(text) is not None
    assert found == (not strings or any(s in text for s in strings))


@given(st.lists(st.one_of(ANY_LINE, st.text("a\u0301\u0300 ①㈠Ｖ，\x00\x1c\u3000가\u1100\u1161"))))
def test_lines_normalised_together_are_normalised_alone(texts: list[str]) -> None:
    assert normalize_lines(texts) == [normalize_for_matching(text) for text in texts]


@given(ANY_LINE)
def test_verdicts_are_those_of_each_rule_tried_in_turn(text: str) -> None:
    key = normalize_for_matching(text)
    matching = [
        c
        for c in RULES.categories
        if any(p in key for p in c.phrases) or any(p.search(key) for p in c.all_patterns)
    ]
    assert RULES.first_match(key) is (matching[0] if matching else None)
    assert RULES.is_kept(key) == any(p.search(key) for p in RULES.keep)
    assert RULES.is_speech_title(key) == any(p.search(key) for p in RULES.speech_titles)


@given(st.text(alphabet="今天会議。！a1 \n，\uf900", min_size=12, max_size=40))
def test_enough_cjk_is_a_count_of_ideographs(text: str) -> None:
    assert (ENOUGH_CJK.match(text) is not None) == (len(CJK.findall(text)) >= 15)
