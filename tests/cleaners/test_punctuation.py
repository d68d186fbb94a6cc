"""normalize_punctuation: data-driven cases and properties (idempotent, ideographs kept)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.punctuation import load_punctuation_table, normalize_punctuation, touches_chinese, widen_marks
from cleaners.regex_needs import needed_strings, trigger_for
from cleaners.settings import Settings

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "punctuation.yaml").read_text(encoding="utf-8"))
IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# The benchmark's rule: half-width marks touching an ideograph, or spaces between two.
CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
HALF = r"[,:;!?()\[\]]"
BAD_PUNCT = re.compile(
    rf"(?<=[{CJK}]){HALF}|{HALF}(?=[{CJK}])"
    rf"|(?<=[{CJK}])[ \t\u3000\u00a0]+(?=[{CJK}])|(?<=[{CJK}])\.(?=[{CJK}])"
)


def _params():
    for case in CASES["changed"]:
        yield pytest.param(case["original"], case["expected"], id=case["label"])
    for case in CASES["unchanged"]:
        yield pytest.param(case["text"], case["text"], id="unchanged: " + case["label"])


@pytest.mark.parametrize(("original", "expected"), list(_params()))
def test_case(original: str, expected: str) -> None:
    assert normalize_punctuation(original) == expected
    assert normalize_punctuation(expected) == expected


def test_settings_table_is_the_default() -> None:
    table = load_punctuation_table(Settings().punctuation_table)
    assert normalize_punctuation("会议:开始,结束.", table) == "会议：开始，结束。"


# Text in the genre: ideographs, Latin, digits, every mark the rules look at, odd spaces.
GENRE = st.lists(
    st.sampled_from(
        list("组织部门作风建设党课同志们一二三是要第")
        + list("abZ019")
        + list(",.:;!?()[]<>-\"'")
        + list("，。、；：！？（）［］《》“”‘’…—―＂＇")
        + list("ＡＺ０９､｡﹐")
        + [" ", "\u3000", "\u00a0", "\t", "\n", "https://a.cn/x", "a@b.cn"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(GENRE)
def test_idempotent(text: str) -> None:
    once = normalize_punctuation(text)
    assert normalize_punctuation(once) == once


@settings(max_examples=400, deadline=None)
@given(GENRE)
def test_keeps_every_ideograph(text: str) -> None:
    assert IDEOGRAPH.findall(normalize_punctuation(text)) == IDEOGRAPH.findall(text)


@settings(max_examples=400, deadline=None)
@given(GENRE)
def test_no_half_width_mark_touches_an_ideograph(text: str) -> None:
    assert BAD_PUNCT.findall(normalize_punctuation(text)) == []


def _rules_and_triggers():
    table = load_punctuation_table()
    yield table.protect, table.protect_trigger
    for substitution in table.substitutions:
        yield substitution.pattern, substitution.trigger
        yield substitution.pattern, table.fix_trigger
        yield substitution.pattern, table.substitution_trigger
    yield table.mark_run, table.fix_trigger
    yield table.period_run, table.fix_trigger
    for pair in table.brackets:
        yield re.compile(re.escape(pair.half_open) + "|" + re.escape(pair.half_close)), table.fix_trigger


# Text made of the forms the rules look for, so that their patterns often match.
NEAR_RULES = st.lists(
    st.sampled_from(
        list("组织一二十.．。…⋯-—―<>,:;!?()[]@/ ")
        + ["...", "。。。", "．．．", "--", "<<", ">>", "http://", "https://", "ftp://", "www.", "a.cn"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(GENRE, NEAR_RULES))
def test_a_rule_pattern_matches_only_where_its_trigger_finds_something(text: str) -> None:
    for pattern, trigger in _rules_and_triggers():
        if pattern.search(text):
            assert trigger.search(text), (pattern.pattern, trigger.pattern)


@pytest.mark.parametrize(
    ("pattern", "misses", "finds"),
    [
        ("。{3,}|．{3,}", "会议。。", "会议。。。"),
        ("^([一二三]{1,3})[.．](?=[^.．\\d])", "一是二三", "一.加强"),
        ("<<(?=[^<>]*>>)([^<>]*?[一-龥][^<>]*)>>", "a<b>", "<<a"),
        ("(?:https?://|www\\.)[a-z]+", "htp:// wwwx", "www.x"),
    ],
)
def test_trigger_looks_for_what_every_match_needs(pattern: str, misses: str, finds: str) -> None:
    trigger = trigger_for(needed_strings(re.compile(pattern)))
    assert not trigger.search(misses)
    assert trigger.search(finds)


@pytest.mark.parametrize("pattern", ["\\d+", "(?i)www", "a*", "(?i:x)y*", "[^a]"])
def test_trigger_finds_any_text_when_a_pattern_needs_are_unknown(pattern: str) -> None:
    assert needed_strings(re.compile("。{3}"), re.compile(pattern)) is None
    assert trigger_for(None).search("")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=' 中文，”"\'…—,:;!?a1\U00020000', max_size=24))
def test_mark_runs_widen_where_they_touch_chinese(text: str) -> None:
    table = load_punctuation_table()
    run_by_run = table.mark_run.sub(
        lambda m: m.group().translate(table.marks) if touches_chinese(text, m.start(), m.end(), table)
        else m.group(),
        text,
    )
    assert widen_marks(text, table) == run_by_run
