"""Anti-copy noise out of the text: injected symbols, text jammer, inline watermarks, script variants.

Sites that host speeches dress them against copying, and sites that copy them brand the text:
emoji, private-use and zero-width characters inside words (南🐤岭县), random ASCII from forum
jammers (`同志们 8 o8 _9 R0 c: g& s7 {% ?7 D：`), watermarks in the middle of a paragraph
(`（本文来自某某范文网 www.….cn，转载请注明出处）`), the whole speech in traditional characters or
with pinyin after characters (see `cleaners.script`). `denoise_document` takes all of it out of
the extracted lines, the page title and the page metadata, before boilerplate, reflow and
punctuation: boilerplate phrases and learned site lines then match, reflow sees the real line
ends, and the punctuation stage does not widen a jammer's `:` into `：`.

What is cut from a line becomes a `Removal` (`jammer`, `watermark`; a line left empty goes
whole); what is rewritten in place is counted per step in `rewrites` (ftfy's idea: a step is
recorded only when it changed the text). Every rule is data in `cleaners/data/noise.yaml`, and
each runs only when a cheap test over the whole document finds something it could act on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import accumulate, repeat
from pathlib import Path

import yaml

from cleaners.document import Extracted, Line, Removal
from cleaners.jammer import JammerShape, find_jammer
from cleaners.regex_needs import needed_strings, trigger_for
from cleaners.script import (
    SIMPLIFIED,
    TRADITIONAL,
    detect_script,
    has_tone_letters,
    load_script_rules,
    strip_pinyin,
    to_simplified,
)
from cleaners.settings import DATA_DIR

STAGE = "noise"
# U+E5E5 is what GB18030 gives for the bytes A3 A0, which old GBK pages use as a full-width space.
GBK_SPACE = "\ue5e5"
TEXT_CHAR = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class NoiseRules:
    """The compiled contents of `noise.yaml`."""

    symbols: re.Pattern[str]
    symbol_tests: tuple[re.Pattern[str], ...]
    # Finds any character an in-place step acts on, but for the astral symbols (`has_astral`).
    rewrite_hint: re.Pattern[str]
    jammer: JammerShape
    watermarks: tuple[re.Pattern[str], ...]
    watermark_triggers: tuple[re.Pattern[str], ...]
    watermark_trigger: re.Pattern[str]
    brand_bracket: re.Pattern[str]
    brand_min_count: int


@lru_cache(maxsize=4)
def load_noise_rules(path: Path | None = None) -> NoiseRules:
    """Read and compile the noise rules, once per path; default: the shipped `noise.yaml`."""
    raw = yaml.safe_load((path or DATA_DIR / "noise.yaml").read_text(encoding="utf-8"))
    shape = JammerShape(**raw["jammer"])
    brand = raw["recurring_brand"]
    span = brand["max_chars"]
    classes = raw["injected_symbols"]
    watermarks = tuple(map(re.compile, raw["watermarks"]))
    return NoiseRules(
        symbols=re.compile("(?:" + "|".join(classes) + ")+"),
        symbol_tests=_symbol_tests(classes),
        rewrite_hint=re.compile(
            "[" + GBK_SPACE + "".join(c[1:-1] for c in classes if max(c) <= "\uffff")
            + load_script_rules().tone_letter.pattern[1:-1] + "]"  # its class of tone letters
        ),
        jammer=shape,
        watermarks=watermarks,
        # what each pattern, and any of them, needs (`regex_needs`): a cheap scan before the search
        watermark_triggers=tuple(trigger_for(needed_strings(p)) for p in watermarks),
        watermark_trigger=trigger_for(needed_strings(*watermarks)),
        brand_bracket=re.compile(
            rf"[（(【\[](?=[^（）()【】\[\]\n]*(?:{brand['site_cue']}))[^（）()【】\[\]\n]{{2,{span}}}[）)】\]]"
        ),
        brand_min_count=brand["min_count"],
    )


def _symbol_tests(classes: list[str]) -> tuple[re.Pattern[str], ...]:
    """Two searches that find any injected symbol: one class of the BMP's, one of the others.

    A class of BMP characters alone is one table lookup a character for `re`; with astral
    ranges in it, `re` scans the ranges at every character (three times as slow on Chinese).
    """
    bmp = "".join(c[1:-1] for c in classes if max(c) <= "\uffff")
    astral = "".join(c[1:-1] for c in classes if max(c) > "\uffff")
    return tuple(re.compile(f"[{part}]") for part in (bmp, astral) if part)


def cut_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """The text without these spans (and the spaces around them), and the pieces cut.

    The neighbours are rejoined as they were: directly between Chinese, by one space beside
    Latin text.
    """
    pieces, cuts, last = [], [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        cuts.append(text[start:end])
        left = text[last:start].rstrip(" ")
        pieces.append(left)
        last = end
        while last < len(text) and text[last] == " ":
            last += 1
        before, after = (left[-1:] or " "), (text[last : last + 1] or " ")
        if (before.isascii() or after.isascii()) and before != " " and after != " ":
            pieces.append(" ")
    pieces.append(text[last:])
    return "".join(pieces), cuts


def cut_watermarks(
    text: str,
    rules: NoiseRules,
    brands: frozenset[str] = frozenset(),
    patterns: tuple[re.Pattern[str], ...] | None = None,
) -> tuple[str, list[str]]:
    """The text without watermarks (rules, then brands that recur in the document), and the cuts.

    >>> cut_watermarks("我们要（本文来自某某范文网 www.x.cn，转载请注明出处）抓好落实。", load_noise_rules())
    ('我们要抓好落实。', ['（本文来自某某范文网 www.x.cn，转载请注明出处）'])
    """
    patterns = rules.watermarks if patterns is None else patterns
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    for brand in brands:
        start = text.find(brand)
        while start >= 0:
            spans.append((start, start + len(brand)))
            start = text.find(brand, start + len(brand))
    return cut_spans(text, spans) if spans else (text, [])


def find_watermark_patterns(text: str, rules: NoiseRules) -> tuple[re.Pattern[str], ...]:
    """The watermark patterns that match somewhere in the text (most texts: none, in one scan)."""
    if not rules.watermark_trigger.search(text):
        return ()
    return tuple(
        pattern
        for pattern, trigger in zip(rules.watermarks, rules.watermark_triggers, strict=True)
        if trigger.search(text) and pattern.search(text)
    )


def find_recurring_brands(text: str, rules: NoiseRules) -> frozenset[str]:
    """Bracketed pieces with a site cue that recur `brand_min_count` times in the document."""
    if text.count("（") + text.count("(") + text.count("【") + text.count("[") < rules.brand_min_count:
        return frozenset()
    counts = Counter(rules.brand_bracket.findall(text))
    return frozenset(piece for piece, n in counts.items() if n >= rules.brand_min_count)


@dataclass(frozen=True)
class Denoised:
    """The document without its noise, its script, and how often each rewrite step acted.

    `rewrites` holds `(line index, step, count)`; the title's count has index -1.
    """

    extracted: Extracted
    script: str = SIMPLIFIED
    converted: bool = False
    rewrites: tuple[tuple[int, str, int], ...] = ()


def denoise_document(
    extracted: Extracted, keep_script: bool = False, rules: NoiseRules | None = None
) -> Denoised:
    """Take anti-copy noise out of a document's lines, title and metadata (see the module doc)."""
    rules = rules or load_noise_rules()
    title = extracted.page_title or ""
    texts = [line.text for line in extracted.lines]
    whole = "\n".join([title, *texts])
    rewrites: list[tuple[int, str, int]] = []
    steps = _rewrite_steps(whole, rules, keep_script)
    if steps:
        title = _rewrite(title, -1, steps, rules, rewrites)
        indexes = [line.index for line in extracted.lines]
        texts = [_rewrite(text, i, steps, rules, rewrites) for text, i in zip(texts, indexes, strict=True)]
        whole = "\n".join([title, *texts])
    script = detect_script(whole)
    converted = script == TRADITIONAL and not keep_script
    meta = extracted.meta
    if converted:
        title, texts, meta = _convert(title, texts, meta, extracted.lines, rewrites)
        whole = "\n".join([title, *texts])
    jammer = _spans_by_part(find_jammer(whole, rules.jammer), [title, *texts])
    brands = find_recurring_brands(whole, rules)
    found = find_watermark_patterns(whole, rules)
    watermark = bool(brands or found)
    if not (steps or converted or jammer or watermark):
        return Denoised(extracted, script)
    lines: list[Line] = []
    removed = list(extracted.removed)
    for line, text, spans in zip(extracted.lines, texts, jammer[1:] if jammer else repeat([]), strict=False):
        cuts: list[tuple[str, str]] = []
        if spans:
            text, pieces = cut_spans(text, spans)
            cuts += [(piece, "jammer") for piece in pieces]
        if watermark:
            text, pieces = cut_watermarks(text, rules, brands, found)
            cuts += [(piece, "watermark") for piece in pieces]
        if cuts and not TEXT_CHAR.search(text):  # nothing of the line is left but marks
            removed.append(Removal(line.index, line.text, cuts[0][1], STAGE))
            continue
        removed += [Removal(line.index, piece, reason, STAGE) for piece, reason in cuts]
        lines.append(line if text == line.text else replace(line, text=text))
    if jammer or watermark:
        title = cut_watermarks(cut_spans(title, jammer[0] if jammer else [])[0], rules, brands, found)[0]
    page_title = title if extracted.page_title is not None and title else None
    out = replace(extracted, lines=tuple(lines), page_title=page_title, meta=meta, removed=tuple(removed))
    return Denoised(out, script, converted, tuple(rewrites))


def _spans_by_part(spans: list[tuple[int, int]], parts: list[str]) -> list[list[tuple[int, int]]]:
    """Spans found in `"\n".join(parts)`, given to each part in its own offsets; [] if none."""
    if not spans:
        return []
    starts = list(accumulate((len(part) + 1 for part in parts[:-1]), initial=0))
    found: list[list[tuple[int, int]]] = [[] for _ in parts]
    for start, end in spans:
        k = bisect_right(starts, start) - 1
        found[k].append((start - starts[k], end - starts[k]))
    return found


def _rewrite_steps(whole: str, rules: NoiseRules, keep_script: bool) -> tuple[str, ...]:
    """The in-place steps this document needs, by one cheap test each over its whole text."""
    if rules.rewrite_hint.search(whole) is None and not has_astral(whole):
        return ()  # the usual text: no character any step acts on, in one scan
    steps = []
    if GBK_SPACE in whole:
        steps.append("gbk_fullwidth_space")
    if any(test.search(whole) for test in rules.symbol_tests):
        steps.append("injected_symbols")
    if has_tone_letters(whole):
        script_rules = load_script_rules()
        if len(script_rules.toned.findall(whole)) >= script_rules.min_toned:
            steps.append("pinyin_toneless")  # an annotated text: `的(de)` goes too
        steps.append("pinyin_annotations")
    return tuple(steps)


def has_astral(text: str) -> bool:
    """Whether the text holds a character outside the BMP (its UTF-16 needs more than two bytes
    a character): a C copy, where a class of astral ranges makes `re` slow at every character.

    >>> has_astral("同志们"), has_astral("同志🐤们")
    (False, True)
    """
    return len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)


def _rewrite(
    text: str, index: int, steps: tuple[str, ...], rules: NoiseRules, rewrites: list[tuple[int, str, int]]
) -> str:
    """Apply the in-place steps to one line, counting what each changed."""
    if "gbk_fullwidth_space" in steps and GBK_SPACE in text:
        rewrites.append((index, "gbk_fullwidth_space", text.count(GBK_SPACE)))
        text = text.replace(GBK_SPACE, "\u3000")
    if "injected_symbols" in steps:
        stripped = rules.symbols.sub("", text)
        if len(stripped) != len(text):
            rewrites.append((index, "injected_symbols", len(text) - len(stripped)))
            text = stripped
    if "pinyin_annotations" in steps:
        text, count = strip_pinyin(text, toneless="pinyin_toneless" in steps)
        if count:
            rewrites.append((index, "pinyin_annotations", count))
    return text


def _convert(
    title: str,
    texts: list[str],
    meta: dict[str, str],
    lines: tuple[Line, ...],
    rewrites: list[tuple[int, str, int]],
) -> tuple[str, list[str], dict[str, str]]:
    """Title, lines and metadata in simplified characters (one converter call for all of them)."""
    keys = list(meta)
    parts = [title, *texts, *(meta[k] for k in keys)]
    joined = to_simplified("\n".join(parts))
    out = joined.split("\n")
    if len(out) != len(parts):  # a line break appeared or vanished: convert one by one
        out = [to_simplified(part) for part in parts]
    for index, before, after in zip([-1, *(line.index for line in lines)], parts, out, strict=False):
        changed = sum(a != b for a, b in zip(before, after, strict=False)) + abs(len(before) - len(after))
        if changed:
            rewrites.append((index, "traditional_to_simplified", changed))
    n = len(texts)
    return out[0], out[1 : n + 1], dict(zip(keys, out[n + 1 :], strict=True))
