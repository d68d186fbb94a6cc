"""Character classes that several modules share, and the whitespace rule built on them, defined once."""

import re

# CJK ideographs: Extension A, the unified block and the compatibility ideographs.
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# CJK characters, punctuation and full-width forms: a line break between two of these is an
# artefact of the HTML source, not a space.
CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’]")
WHITESPACE_RUN = re.compile(r"\s+")
# Marks that end a sentence, full-width and half-width: a line holding one reads as prose.
SENTENCE_END = re.compile(r"[。！？!?；;]")
# The full-width punctuation of Chinese prose.
FULLWIDTH_PUNCT = re.compile(r"[，。；：！？、“”‘’（）《》]")


def collapse_whitespace(text: str) -> str:
    """Collapse whitespace runs to one space; drop source line breaks between CJK characters.

    >>> collapse_whitespace("  同志们：\\n  今天  we  meet ")
    '同志们：今天 we meet'
    """
    if "\n" not in text and "\r" not in text:
        return WHITESPACE_RUN.sub(" ", text).strip()

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        joins_cjk = bool(CJK_OR_PUNCT.match(before) and CJK_OR_PUNCT.match(after))
        return "" if joins_cjk and ("\n" in match.group() or "\r" in match.group()) else " "

    return WHITESPACE_RUN.sub(replace, text).strip()


def count_cjk(text: str) -> int:
    """How many CJK ideographs the text holds (counted by runs: far fewer matches than characters).

    >>> count_cjk("同志们，Excel 台账")
    5
    """
    return sum(map(len, CJK_RUN.findall(text)))
