"""List and heading numbers of a .docx written out as the reader sees them (`一、`, `（二）`, `3.`).

Chinese speeches often number their headings with Word's automatic numbering, so the marker is
not in the text: without it the structure stage cannot see the heading ladder. `Numbering`
keeps one counter per list and level, restarts deeper levels when a level moves on, and fills
the level's text pattern (`%1、`). Bullets are not written out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from cleaners.formats.ooxml import W

CHINESE_DIGITS = "〇一二三四五六七八九"
TIANGAN = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.

    >>> [chinese_number(n) for n in (1, 10, 12, 20, 35)]
    ['一', '十', '十二', '二十', '三十五']
    """
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 20:
        return "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CHINESE_DIGITS[n // 10] + "十" + (CHINESE_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" if rest < 10 else "") + (chinese_number(rest) if rest >= 20 or rest < 10
                                                          else "一" + chinese_number(rest))
    return CHINESE_DIGITS[n // 100 % 10] + "百" + tail


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def format_number(n: int, fmt: str) -> str:
    """The counter `n` in a Word number format."""
    if fmt.startswith(("chineseCounting", "japaneseCounting", "taiwaneseCounting", "ideographDigital")):
        return chinese_number(n)
    if fmt.startswith("ideographTraditional"):
        return TIANGAN[(n - 1) % 10]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return roman(n) if fmt == "upperRoman" else roman(n).lower()
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    return str(n)


@dataclass
class Numbering:
    """The lists of numbering.xml and their running counters."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, root: etree._Element | None) -> Numbering:
        if root is None:
            return cls()
        abstract = {
            a.get(f"{W}abstractNumId"): {
                int(lvl.get(f"{W}ilvl", "0")): Level(
                    _val(lvl, "numFmt", "decimal"), _val(lvl, "lvlText", ""), _number(_val(lvl, "start", "1"))
                )
                for lvl in a.iter(f"{W}lvl")
                if lvl.get(f"{W}ilvl", "0").isdigit()
            }
            for a in root.iter(f"{W}abstractNum")
        }
        levels = {}
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None and ref.get(f"{W}val") in abstract:
                levels[num.get(f"{W}numId", "")] = abstract[ref.get(f"{W}val")]
        return cls(levels)

    def next_label(self, num_id: str, ilvl: int) -> str:
        """The label of the next item of list `num_id` at level `ilvl` ("" for bullets and none)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        if not 0 <= ilvl < 10:
            return ""
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        level = levels[ilvl]
        if level.fmt in ("bullet", "none"):
            return ""
        label = level.text
        for k in range(ilvl + 1):
            known = levels.get(k, Level("decimal", "", 1))
            value = counts[k] + known.start - 1 if counts[k] else known.start
            label = label.replace(f"%{k + 1}", format_number(value, known.fmt))
        return label


def _val(element: etree._Element, child: str, default: str) -> str:
    found = element.find(f"{W}{child}")
    value = found.get(f"{W}val") if found is not None else None
    return default if value is None else value


def _number(value: str) -> int:
    return int(value) if value.isdigit() else 1
