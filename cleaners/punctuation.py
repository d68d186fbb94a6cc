"""Punctuation to GB/T 15834-2011: full-width marks in Chinese text, half-width in Latin text.

Scraped speeches mix `,` and `，`, straight and curly quotes, `...` and `……`, and leave spaces
between ideographs where a PDF line ended. `normalize_punctuation` makes one line or paragraph
follow the standard. Every rule is a table entry in `cleaners/data/punctuation.yaml`; this module
only applies them, in this order, outside URLs and e-mail addresses:

1. `translate`: full-width letters and digits to half-width, odd spaces to a plain space.
2. `substitutions`: ellipses to ……, dashes to ——, <<…>> to 《…》, a leading 一. to 一、.
3. brackets, then `, : ; ! ?`, then `.`: a half-width mark touching Chinese becomes full-width.
4. quotes (only in a line holding Chinese): paired in order, a nested double pair made single.
5. runs of one mark collapse (，， → ，); spaces go around full-width marks and between
   ideographs, and shrink to one between Chinese and Latin text (kept, never added).

Numbers, dates, decimals, times, version strings and Latin sentences never touch Chinese, so
they keep their half-width marks: `2026-01-30`, `3.14`, `10:30`, `Hello, world.` stay.

Most lines give most rules nothing to do, so a rule first looks, with one quick scan, for what it
could act on (a trigger derived from its own pattern, see `cleaners.regex_needs`) and is skipped
when the line holds none of it.
"""

from __future__ import annotations

import re

from cleaners.punctuation_table import (  # noqa: F401 - load_punctuation_table: the stage's API
    BracketPair,
    PunctuationTable,
    QuoteStyle,
    Substitution,
    load_punctuation_table,
)

# How far a context check looks through spaces and quotes for the nearest real neighbour.
LOOKAROUND = 8
# A rewrite can give a neighbour the Chinese context another rule needs (`a,(我)`: the
# brackets become （）, then the comma touches one): rules repeat until the line is stable.
MAX_ROUNDS = 20
_SPACE_RUN = re.compile(" +")


def normalize_punctuation(text: str, table: PunctuationTable | None = None) -> str:
    """Punctuation and spacing of one line or paragraph after GB/T 15834; idempotent.

    >>> normalize_punctuation("同志们:今天, 我们召开会议(2025年6月18日)...")
    '同志们：今天，我们召开会议（2025年6月18日）……'
    >>> normalize_punctuation("Hello, world. 见 https://a.cn/x?y=1,时间10:30")
    'Hello, world. 见 https://a.cn/x?y=1，时间10:30'
    """
    table = table or load_punctuation_table()
    if "\n" not in text:  # one line, as the pipeline passes them
        return _settle_line(text, table)
    return "\n".join(_settle_line(line, table) for line in text.split("\n"))


def explain_punctuation(text: str, table: PunctuationTable | None = None) -> tuple[str, tuple[str, ...]]:
    """`normalize_punctuation`, and the names of the steps that changed the text, in order.

    Substitutions are named in `punctuation.yaml`; the other steps are `half_width_forms`,
    `trim_spaces`, `brackets`, `marks`, `periods`, `quotes`, `collapse_repeats` and `spaces`.

    >>> explain_punctuation("同志们:今天, 我们召开会议...")
    ('同志们：今天，我们召开会议……', ('ellipsis', 'marks', 'spaces'))
    """
    table = table or load_punctuation_table()
    steps: list[str] = []
    fixed = "\n".join(_settle_line(line, table, steps) for line in text.split("\n"))
    return fixed, tuple(dict.fromkeys(steps))


def _settle_line(line: str, table: PunctuationTable, steps: list[str] | None = None) -> str:
    """Apply the rules until the line no longer changes (see MAX_ROUNDS)."""
    for _ in range(MAX_ROUNDS):
        if not table.actionable.search(line):
            break  # nothing any rule acts on: the usual line, and most lines once fixed
        fixed = _apply_rules(line, table, steps)
        if fixed == line:
            break
        line = fixed
    return line


def _step(steps: list[str] | None, name: str, before: str, after: str) -> str:
    """`after`, noting `name` in `steps` (when explaining) if the step changed the text."""
    if steps is not None and after != before:
        steps.append(name)
    return after


def _apply_rules(line: str, table: PunctuationTable, steps: list[str] | None = None) -> str:
    if table.translatable.search(line):
        line = _step(steps, "half_width_forms", line, line.translate(table.translate))
    line = _step(steps, "trim_spaces", line, line.strip(" "))
    if table.fix_trigger.search(line):
        line = _fix_marks_unprotected(line, table, steps)
    if table.quote_forms.search(line) and table.ideograph.search(line):
        quoted = pair_quotes(line, table.double, inner=table.single)
        line = _step(steps, "quotes", line, pair_quotes(quoted, table.single))
    if table.collapse.search(line):
        line = _step(steps, "collapse_repeats", line, table.collapse.sub(r"\1", line))
    return _step(steps, "spaces", line, fix_spaces(line, table))


def _fix_marks_unprotected(line: str, table: PunctuationTable, steps: list[str] | None = None) -> str:
    """`_fix_marks` on the line outside URLs and e-mail addresses."""
    if not table.protect_trigger.search(line):
        return _fix_marks(line, table, steps)
    # protect has one capturing group: split() gives plain, protected, plain… pieces.
    return "".join(
        piece if n % 2 else _fix_marks(piece, table, steps)
        for n, piece in enumerate(table.protect.split(line))
    )


def _fix_marks(text: str, table: PunctuationTable, steps: list[str] | None = None) -> str:
    """Substitutions, then brackets, then `, : ; ! ?`, then `.` (steps 2 and 3 above)."""
    if table.substitution_trigger.search(text):
        for substitution in table.substitutions:
            text = _step(steps, substitution.name, text, apply_substitution(text, substitution, table))
    for pair in table.brackets:
        text = _step(steps, "brackets", text, widen_brackets(text, pair, table))
    text = _step(steps, "marks", text, widen_marks(text, table))
    return _step(steps, "periods", text, widen_periods(text, table))


def widen_marks(text: str, table: PunctuationTable) -> str:
    """Make each run of `, : ; ! ?` full-width where it touches Chinese (`touches_chinese`).

    The usual case, one mark right after a Chinese character, is widened by a plain substitution
    per mark; the other runs, when any half-width mark is left, are judged on the text as it was
    (the lengths do not change).

    >>> widen_marks("同志们:今天,我们 a,b 开会 ,!", load_punctuation_table())
    '同志们：今天，我们 a,b 开会 ，！'
    """
    widened = text
    for half, lone, full in table.lone_marks:
        if half in widened:
            widened = lone.sub(full, widened)
    if not any(half in widened for half in table.half_marks):
        return widened  # every mark was a lone one after Chinese: no run left to judge
    return table.mark_run.sub(
        lambda m: m.group().translate(table.marks) if touches_chinese(text, m.start(), m.end(), table)
        else m.group(),
        widened,
    )


def chinese_before(text: str, i: int, table: PunctuationTable) -> bool:
    """Whether the nearest character before `i`, looking through spaces and quotes, is Chinese."""
    nearest = text[max(i - LOOKAROUND, 0):i].rstrip(" " + table.soft_text)[-1:]
    return table.chinese.match(nearest) is not None


def chinese_after(text: str, i: int, table: PunctuationTable) -> bool:
    """Whether the character at `i` is Chinese, looking through quotes but not spaces."""
    nearest = text[i:i + LOOKAROUND].lstrip(table.soft_text)[:1]
    return table.chinese.match(nearest) is not None


def touches_chinese(text: str, start: int, end: int, table: PunctuationTable) -> bool:
    """Whether `text[start:end]` follows Chinese or is directly followed by it."""
    return chinese_before(text, start, table) or chinese_after(text, end, table)


def apply_substitution(text: str, substitution: Substitution, table: PunctuationTable) -> str:
    """Rewrite every match of one substitution (`--` → `——` only beside Chinese)."""
    if not substitution.trigger.search(text):
        return text

    def rewrite(match: re.Match[str]) -> str:
        if substitution.chinese_only and not touches_chinese(text, match.start(), match.end(), table):
            return match.group()
        return match.expand(substitution.replacement)

    return substitution.pattern.sub(rewrite, text)


def widen_brackets(text: str, pair: BracketPair, table: PunctuationTable) -> str:
    """Make brackets full-width where they hold or touch Chinese, both sides of a pair at once.

    >>> widen_brackets("(一)加强 f(x) （2025)", BracketPair("(", ")", "（", "）"), load_punctuation_table())
    '（一）加强 f(x) （2025）'
    """
    if pair.half_open not in text and pair.half_close not in text:
        return text  # only a half-width form can change
    changes: dict[int, str] = {}
    stack: list[int] = []
    lone: list[int] = []
    for match in pair.any_form.finditer(text):
        i, char = match.start(), match.group()
        if char in (pair.half_open, pair.full_open):
            stack.append(i)
        elif not stack:
            lone.append(i)
        else:
            start = stack.pop()
            if (text[start] == pair.full_open or char == pair.full_close
                    or table.ideograph.search(text, start + 1, i)
                    or touches_chinese(text, start, i + 1, table)):
                changes[start], changes[i] = pair.full_open, pair.full_close
    widths = {pair.half_open: pair.full_open, pair.half_close: pair.full_close}
    for i in lone + stack:
        if text[i] in widths and touches_chinese(text, i, i + 1, table):
            changes[i] = widths[text[i]]
    return replace_at(text, changes)


def replace_at(text: str, changes: dict[int, str]) -> str:
    """Text with the character at each position in `changes` replaced.

    >>> replace_at("a(b)", {1: "（", 3: "）"})
    'a（b）'
    """
    parts, start = [], 0
    for i in sorted(changes):
        parts += [text[start:i], changes[i]]
        start = i + 1
    parts.append(text[start:])
    return "".join(parts)


def widen_periods(text: str, table: PunctuationTable) -> str:
    """Make `.` a 。 after Chinese, unless a letter or digit follows (`文件.docx`, `1.5`).

    Three dots or more are an ellipsis, left to the `ellipsis` substitution.

    >>> widen_periods("会议召开. 文件.docx 第1.5条", load_punctuation_table())
    '会议召开。 文件.docx 第1.5条'
    """
    if table.half_period not in text:
        return text  # the usual line: a plain test instead of a scan with the regex engine
    return table.period_run.sub(
        lambda m: table.period * len(m.group()) if chinese_before(text, m.start(), table) else m.group(),
        text,
    )


def pair_quotes(text: str, style: QuoteStyle, inner: QuoteStyle | None = None) -> str:
    """Pair quotes in order: open, close, open… A double pair nested in another becomes `inner`.

    Quotes that already nest properly keep their roles (a close first is allowed: the quote
    began in an earlier paragraph); otherwise they are re-paired by alternation. An apostrophe
    between two Latin letters (`don't`) is not a quote.

    >>> pair_quotes('他说"要抓“理论武装”"', QuoteStyle("“", "”", '"'), QuoteStyle("‘", "’", "'"))
    '他说“要抓‘理论武装’”'
    """
    spots = [m.start() for m in style.any_form.finditer(text) if not _is_apostrophe(text, m.start())]
    if not spots:
        return text
    roles = _nested_roles([text[i] for i in spots], style, max_depth=2 if inner else 1)
    if roles is None:
        roles = [(n % 2 == 0, 1) for n in range(len(spots))]
    changes = {}
    for i, (opening, depth) in zip(spots, roles, strict=True):
        outer = style if depth % 2 or inner is None else inner
        changes[i] = outer.open if opening else outer.close
    return replace_at(text, changes)


def _nested_roles(quotes: list[str], style: QuoteStyle, max_depth: int) -> list[tuple[bool, int]] | None:
    """(opens, depth) of each quote when they nest within max_depth, else None."""
    depth, roles = 0, []
    for n, quote in enumerate(quotes):
        if quote == style.open or (quote in style.straight and depth == 0):
            depth += 1
            roles.append((True, depth))
        elif depth:
            roles.append((False, depth))
            depth -= 1
        elif n == 0:
            roles.append((False, 1))
        else:
            return None
        if depth > max_depth:
            return None
    return roles if depth <= 1 else None


def _is_apostrophe(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha() \
        and text[i + 1].isascii() and text[i + 1].isalpha()


def fix_spaces(text: str, table: PunctuationTable) -> str:
    """Drop spaces beside full-width marks and between ideographs; one between Chinese and Latin.

    >>> fix_spaces("我们 是 ， 使用  Python  语言", load_punctuation_table())
    '我们是，使用 Python 语言'
    """
    if " " not in text:
        return text

    def space(match: re.Match[str]) -> str:
        left = text[match.start() - 1] if match.start() else ""
        right = text[match.end()] if match.end() < len(text) else ""
        if left in table.fullwidth_marks or right in table.fullwidth_marks:
            return ""
        left_cjk, right_cjk = bool(table.ideograph.match(left)), bool(table.ideograph.match(right))
        if (left_cjk or right_cjk) and (left_cjk or left in table.soft_marks) \
                and (right_cjk or right in table.soft_marks):
            return ""
        return " " if left_cjk != right_cjk else match.group()

    return _SPACE_RUN.sub(space, text)
