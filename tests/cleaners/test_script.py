"""cleaners.script: the character lists agree with OpenCC, detection and conversion on real-shaped text."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest

from cleaners.extract import extract_plain
from cleaners.noise import denoise_document
from cleaners.script import (
    SIMPLIFIED,
    TRADITIONAL,
    detect_script,
    load_script_rules,
    strip_pinyin,
    to_simplified,
)

CLEAN = (Path(__file__).parent / "cases" / "noise" / "clean.txt").read_text(encoding="utf-8")


def _listed(pattern_text: str) -> str:
    return pattern_text[1:-1]


def test_traditional_list_is_what_opencc_changes() -> None:
    rules = load_script_rules()
    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    traditional, simplified = _listed(rules.traditional.pattern), _listed(rules.simplified.pattern)
    assert len(traditional) > 3000 and len(simplified) > 2000
    assert all(t2s.convert(c) != c for c in traditional[:: 50])
    assert all(s2t.convert(c) != c for c in simplified[:: 50])
    assert not set(traditional) & set(simplified)


def test_detects_a_whole_speech_either_way() -> None:
    assert detect_script(CLEAN) == SIMPLIFIED
    assert detect_script(opencc.OpenCC("s2t").convert(CLEAN)) == TRADITIONAL
    assert detect_script(opencc.OpenCC("s2twp").convert(CLEAN)) == TRADITIONAL


def test_a_few_traditional_characters_do_not_make_a_text_traditional() -> None:
    quoted = CLEAN.replace("今天我们", "今天我們", 1) + "\n乾隆年間，於是"
    assert detect_script(quoted) == SIMPLIFIED


def test_round_trip_of_the_fixture_speech() -> None:
    assert to_simplified(opencc.OpenCC("s2t").convert(CLEAN)) == CLEAN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("領(lǐng)導(dǎo)講話", "領導講話"),
        ("领导(lǐng dǎo)讲话", "领导讲话"),
        ("领导（lǐngdǎo）讲话", "领导讲话"),
        ("采用(AI)技术，版本(v2)", "采用(AI)技术，版本(v2)"),
        ("他说(hello)", "他说(hello)"),
    ],
)
def test_pinyin(text: str, expected: str) -> None:
    assert strip_pinyin(text)[0] == expected


def test_toneless_pinyin_goes_only_in_an_annotated_text() -> None:
    annotated = "领(lǐng)导(dǎo)讲(jiǎng)话的(de)要求"
    lines = denoise_document(extract_plain(annotated)).extracted.lines
    assert [line.text for line in lines] == ["领导讲话的要求"]
    assert strip_pinyin("会议的(de)要求")[0] == "会议的(de)要求"
