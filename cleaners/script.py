"""Script variants: traditional text made simplified, pinyin annotations after characters removed.

Some sites convert a speech to traditional characters (同志們，今天我們召開…) or put tone-marked
pinyin after some characters (領(lǐng)導(dǎo)講話) so that a copy does not match the original.
`detect_script` tells traditional text from simplified by counting characters only one script
writes (lists in `cleaners/data/script.yaml`), on a sample and with one regex pass, so the usual
simplified input costs a few microseconds. `to_simplified` converts with OpenCC's `t2s` (phrases
first, then characters; the official OpenCC bindings: the fastest and most faithful of the
converters measured, see the commit that added this module). `strip_pinyin` removes the
bracketed syllables and counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from cleaners.settings import DATA_DIR

SIMPLIFIED, TRADITIONAL = "simplified", "traditional"
_IDEOGRAPH = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@dataclass(frozen=True)
class ScriptRules:
    """The compiled contents of `script.yaml` (see that file for each field)."""

    traditional: re.Pattern[str]
    simplified: re.Pattern[str]
    sample_chars: int
    min_traditional: int
    traditional_ratio: float
    quotes: dict[int, str]
    tone_letter: re.Pattern[str]
    toned: re.Pattern[str]
    toneless: re.Pattern[str]
    min_toned: int


@lru_cache(maxsize=4)
def load_script_rules(path: Path | None = None) -> ScriptRules:
    """Read and compile the script rules, once per path; default: the shipped `script.yaml`."""
    raw = yaml.safe_load((path or DATA_DIR / "script.yaml").read_text(encoding="utf-8"))
    tones = raw["tone_letters"]
    letters = f"a-zü{tones}"
    # bounded (a syllable has at most six letters), so a hostile run of letters cannot backtrack long
    toned_syllable = f"[{letters}]{{0,5}}[{tones}][{letters}]{{0,5}}"
    any_syllable = f"[{letters}]{{1,6}}"
    # one to four syllables, at least one toned, spaced or not: (lǐng) (lǐng dǎo) (lǐngdǎo)
    toned = rf"[(（] ?(?:{any_syllable} ?){{0,3}}{toned_syllable}(?: ?{any_syllable}){{0,3}} ?[)）]"
    return ScriptRules(
        traditional=re.compile("[" + "".join(raw["traditional"].split()) + "]"),
        simplified=re.compile("[" + "".join(raw["simplified"].split()) + "]"),
        sample_chars=raw["sample_chars"],
        min_traditional=raw["min_traditional"],
        traditional_ratio=raw["traditional_ratio"],
        quotes=str.maketrans(raw["quotes_after_conversion"]),
        tone_letter=re.compile(f"[{tones}]"),
        toned=re.compile(rf"(?<={_IDEOGRAPH}){toned}"),
        toneless=re.compile(rf"(?<={_IDEOGRAPH})[(（] ?[a-zü]{{1,6}} ?[)）]"),
        min_toned=raw["min_toned"],
    )


def detect_script(text: str, rules: ScriptRules | None = None) -> str:
    """`traditional` or `simplified` (also for text with no Chinese), judged on a sample.

    >>> detect_script("同志們，今天我們召開這次會議"), detect_script("同志们，今天我们召开这次会议")
    ('traditional', 'simplified')
    """
    rules = rules or load_script_rules()
    sample = text[: rules.sample_chars]
    traditional = len(rules.traditional.findall(sample))
    if traditional < rules.min_traditional:  # the usual case: one pass and done
        return SIMPLIFIED
    simplified = len(rules.simplified.findall(sample))
    return TRADITIONAL if traditional >= rules.traditional_ratio * simplified else SIMPLIFIED


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - opencc ships no type for its converter
    import opencc  # imported on first use: most runs meet no traditional text

    return opencc.OpenCC("t2s")


def to_simplified(text: str, rules: ScriptRules | None = None) -> str:
    """Traditional text in simplified characters, with mainland quotes for corner quotes.

    >>> to_simplified("「同志們」，這次會議")
    '“同志们”，这次会议'
    """
    rules = rules or load_script_rules()
    return _converter().convert(text).translate(rules.quotes)


def strip_pinyin(text: str, rules: ScriptRules | None = None, toneless: bool = False) -> tuple[str, int]:
    """The text without bracketed pinyin after characters, and how many annotations went.

    Toneless syllables (`的(de)`) go only with `toneless`, for a text known to be annotated.

    >>> strip_pinyin("領(lǐng)導(dǎo)講話，要用(AI)")
    ('領導講話，要用(AI)', 2)
    """
    rules = rules or load_script_rules()
    text, count = rules.toned.subn("", text)
    if toneless:
        text, more = rules.toneless.subn("", text)
        count += more
    return text, count


def has_tone_letters(text: str, rules: ScriptRules | None = None) -> bool:
    """Whether the text holds a tone-marked letter at all (the cheap test before `strip_pinyin`)."""
    return (rules or load_script_rules()).tone_letter.search(text) is not None
