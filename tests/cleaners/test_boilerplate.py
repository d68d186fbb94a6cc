"""Tests for boilerplate removal: data-driven cases, rule loading, learned and repeated lines."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cleaners.boilerplate import load_boilerplate_rules, nfkc, normalize_for_matching, strip_boilerplate
from cleaners.document import Line

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
