"""Forum jammer text: random ASCII that anti-copy plugins hide in a post, found by its shape.

Discuz and its clones insert, at every line break of a post, a hidden run of random pairs such as
`3 X7 F. E+ g9 k- E1 ?`; hidden in the page, it is plain text in a saved copy, on a line of its own
or inside a sentence (`同志们 8 o8 _9 R0 c: g& s7 {% ?7 D：`). No list of strings can name it, but
its shape gives it away: many tokens of one to three characters in a row, most of them no word,
number, abbreviation or address, some with a symbol beside a letter or digit. Chinese prose quotes
English phrases (longer words), numbers, URLs and codes (`G20`, `5G`, `COVID-19`), which this
judgement keeps; the thresholds are data (`jammer` in `cleaners/data/noise.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

TOKEN = re.compile(r"\S+")
# a word of two letters or more, an initial (F.), an abbreviation (U.S.)
WORD = re.compile(r"[A-Za-z]{2,}(?:['’-][A-Za-z]+)*|[A-Za-z]\.|[A-Z](?:\.[A-Z])+\.?")
NUMBER = re.compile(r"[+-]?\d*[.,]?\d+(?:[.,:/-]\d+)*%?")
ADDRESS = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|(?:[\w-]+\.)+(?:com|cn|net|org|gov|edu)(?:/\S*)?",
    re.IGNORECASE,
)
ODD_SYMBOL = re.compile(r"""[!"#$%&'()*+/:;<=>?@\[\\\]^_`{|}~]""")
ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
# a letter or digit beside a symbol, or a letter beside a digit (g9, E+, ?7, _9)
MIXED = re.compile(r"[A-Za-z0-9][^A-Za-z0-9]|[^A-Za-z0-9][A-Za-z0-9]|[A-Za-z][0-9]|[0-9][A-Za-z]")
DENSE_MAX_CHARS = 64  # jammer strings are short; a longer token is judged no further
STRANGE_SYMBOL = re.compile(r"[#$%&@\[\\\]^_`{|}~]")
EDGE_PUNCT = ".,;:!?\"'"
ALNUM = re.compile(r"[A-Za-z0-9]")
LETTERS_OR_DIGITS = re.compile(r"[A-Za-z]{3}|[0-9]{3}")
MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")  # a tag left in the text is no jammer


@dataclass(frozen=True)
class JammerShape:
    """Thresholds of the jammer judgement (see `noise.yaml` for each)."""

    min_tokens: int = 4
    short_chars: int = 3
    short_share: float = 0.75
    noise_share: float = 0.5
    min_symbol_tokens: int = 2
    dense_min_chars: int = 6
    dense_min_symbols: int = 3


def is_plain_token(token: str) -> bool:
    """A word, number, abbreviation or address (what prose holds), judged without sentence marks.

    A short token keeps its marks but a trailing `,` or `)` (`Q!`, `c:` and a lone letter are what
    jammer is made of; `F.`, `1,` and `a)` are prose).

    >>> [is_plain_token(t) for t in ("Hello,", "F.", "2024", "www.gov.cn", "X7", "g&", "Q!", "q")]
    [True, True, True, True, False, False, False, False]
    """
    core = _core(token)
    if not core.strip(EDGE_PUNCT):  # marks only: neither word nor noise
        return True
    return bool(WORD.fullmatch(core) or NUMBER.fullmatch(core.rstrip(".")) or ADDRESS.fullmatch(token))


def _core(token: str) -> str:
    return token.strip(EDGE_PUNCT) if len(token) > 3 else token.rstrip(",)")


def has_symbol(token: str) -> bool:
    """A letter or digit beside an ASCII symbol in the token (`E+`, `k-`; not `F.` or `3.5`), or a
    symbol that prose never writes alone (`{%`, `]!`, `@`; `+` and `=` of a formula are prose)."""
    core = _core(token)
    if STRANGE_SYMBOL.search(token):
        return True
    return bool(ALNUM.search(core)) and (bool(ODD_SYMBOL.search(core)) or core[:1] == "-" or core[-1:] == "-")


def is_jammer_run(tokens: list[str], shape: JammerShape) -> bool:
    """Whether space-separated ASCII tokens are jammer by shape: many, short, mostly no words.

    >>> is_jammer_run("3 X7 F. E+ g9 k- E1 ?".split(), JammerShape())
    True
    >>> is_jammer_run("as Lincoln said of the people".split(), JammerShape())
    False
    >>> is_jammer_run("~~ ha ~ ...".split(), JammerShape())  # no letter beside a digit or symbol
    False
    """
    n = len(tokens)
    if n < shape.min_tokens:
        return False
    if sum(len(t) <= shape.short_chars for t in tokens) < shape.short_share * n:
        return False
    if sum(not is_plain_token(t) for t in tokens) < shape.noise_share * n:
        return False
    if sum(map(has_symbol, tokens)) < shape.min_symbol_tokens or not any(map(MIXED.search, tokens)):
        return False
    return not MARKUP.search(" ".join(tokens))  # `<br /> <br />` is markup left in the text


def is_dense_jammer(token: str, shape: JammerShape) -> bool:
    """One long token that mixes single letters, digits and many symbols, and no address.

    No word, number or path is in it: no three letters or three digits in a row, and the letters
    and digits come in many small groups between different symbols.

    >>> tokens = ("k9$Q)w'?5e", "/wp-login.php?p=1700", "14:32PM)", "(US$14)")
    >>> [is_dense_jammer(t, JammerShape()) for t in tokens]
    [True, False, False, False]
    """
    if not shape.dense_min_chars <= len(token) <= DENSE_MAX_CHARS or LETTERS_OR_DIGITS.search(token):
        return False
    if ADDRESS.search(token) or MARKUP.search(token):
        return False
    has_letter = any(c.isalpha() for c in token)
    has_digit = any(c.isdigit() for c in token)
    symbols = ODD_SYMBOL.findall(token)
    return (
        has_letter
        and has_digit
        and len(symbols) >= shape.dense_min_symbols
        and len(set(symbols)) >= 2  # not a path: a/b/c/d
        and len(ALNUM_RUN.findall(token)) >= shape.dense_min_symbols + 1  # not a price: (US$14)
    )


@lru_cache(maxsize=8)
def candidate_runs(shape: JammerShape) -> re.Pattern[str]:
    """ASCII runs that may hold jammer: `min_tokens` tokens or more, or one long token.

    Only these are judged token by token; the many short runs of Chinese text (`2024`, `5G`,
    a half-width comma) never are.
    """
    # one run of ASCII first, then more tokens or a look back over its length. The run is
    # written `[!-~][!-~]*`, not `[!-~]+`: a pattern opening with a plain character class lets `re`
    # skip ahead through Chinese, while one opening with a repeat is tried at every position
    # (twice the cost of the whole search)
    return re.compile(
        rf"[!-~][!-~]*(?:(?: +[!-~]+){{{shape.min_tokens - 1},}}|(?<=[!-~]{{{shape.dense_min_chars}}}))"
    )


def find_jammer(text: str, shape: JammerShape) -> list[tuple[int, int]]:
    """Spans of jammer in the text: runs of short tokens judged together, long tokens alone.

    A long token (a real word) splits a run, so `Make America Great g9 k- E1 ?7` keeps its words,
    and a plain first token written onto the Chinese before it stays with it (`同志们: / G! f4…`
    keeps its colon, `第8 o8 _9…` its number): the jammer starts after a line's own text.

    >>> text = "同志们: / G! f4 x) p5 k  z+ T3 M/ F"
    >>> [text[a:b] for a, b in find_jammer(text, JammerShape())]
    ['/ G! f4 x) p5 k  z+ T3 M/ F']
    """
    spans: list[tuple[int, int]] = []
    for run in candidate_runs(shape).finditer(text):
        group: list[re.Match[str]] = []
        for token in [*TOKEN.finditer(text, run.start(), run.end()), None]:
            if token is not None and len(token.group()) <= shape.short_chars:
                group.append(token)
                continue
            if group and is_jammer_run([t.group() for t in group], shape):
                first = group[0]
                attached = first.start() > 0 and not text[first.start() - 1].isascii()
                if attached and is_plain_token(first.group()) and len(group) > 1:
                    group = group[1:]
                spans.append((group[0].start(), group[-1].end()))
            group = []
            if token is not None and is_dense_jammer(token.group(), shape):
                spans.append(token.span())
    return spans
