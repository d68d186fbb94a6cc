"""Character classes that several modules share, and the whitespace rule built on them, defined once."""

import re

# CJK ideographs: Extension A, the unified block and the compatibility ideographs.
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# CJK characters, punctuation and full-width forms: a line break between two of these is an
# artefact of the HTML source, not a space. (U+3000, the ideographic space, is whitespace itself,
# so it never borders a whitespace run and is left out.)
CJK_OR_PUNCT_CLASS = "[\u3001-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]"
# A whole whitespace run holding a line break, between two such characters.
SOURCE_LINE_BREAK = re.compile(rf"(?<={CJK_OR_PUNCT_CLASS})\s*[\r\n]\s*(?={CJK_OR_PUNCT_CLASS})")
# Marks that end a sentence, full-width and half-width: a line holding one reads as prose.
SENTENCE_END = re.compile(r"[。！？!?；;]")
# The full-width punctuation of Chinese prose.
FULLWIDTH_PUNCT = re.compile(r"[，。；：！？、“”‘’（）《》]")


def collapse_whitespace(text: str) -> str:
    """Collapse whitespace runs to one space; drop source line breaks between CJK characters.

    >>> collapse_whitespace("  同志们：\\n  今天  we  meet ")
    '同志们：今天 we meet'
    """
    if "\n" in text or "\r" in text:
        text = SOURCE_LINE_BREAK.sub("", text)
    return " ".join(text.split())  # `str.split` and `re`'s `\s` know the same whitespace


def count_cjk(text: str) -> int:
    """How many CJK ideographs the text holds (counted by runs: far fewer matches than characters).

    >>> count_cjk("同志们，Excel 台账")
    5
    """
    return sum(map(len, CJK_RUN.findall(text)))
