"""Keywords of a speech: jieba TF-IDF with a genre stop-word list and a user dictionary.

Speeches share a large stock of words (工作, 必须, 同志们, 进一步, 坚持, 加强…) that TF-IDF over a
general corpus still ranks high; `data/stopwords.txt` keeps them out so the subject shows. Terms
of the trade (机构编制, 全面从严治党, 正确政绩观…) would be cut into pieces by jieba's general
dictionary; `data/userdict.txt` keeps them whole. jieba costs about a second to load, so one
extractor per (stop words, user dictionary) pair is built on first use and kept.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg
from jieba.analyse.tfidf import TFIDF

from cleaners.settings import DATA_DIR

STOPWORDS = DATA_DIR / "stopwords.txt"
USERDICT = DATA_DIR / "userdict.txt"
CONTENT_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def read_words(path: Path) -> frozenset[str]:
    """The words of a one-word-a-line list (blank lines and `#` comments skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=4)
def load_extractor(stopwords: Path = STOPWORDS, userdict: Path = USERDICT) -> TFIDF:
    """A TF-IDF extractor with its own tokenizer, so the global jieba state is left alone."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(userdict))
    extractor = TFIDF()
    extractor.tokenizer = tokenizer
    extractor.postokenizer = jieba.posseg.POSTokenizer(tokenizer)
    extractor.stop_words = set(extractor.STOP_WORDS) | read_words(stopwords)
    return extractor


def is_content_word(word: str) -> bool:
    """True for a word of two or more ideographs (no digits, Latin or punctuation)."""
    return bool(CONTENT_WORD.match(word))


def extract_keywords(
    text: str, count: int = 8, stopwords: Path | None = None, userdict: Path | None = None
) -> tuple[str, ...]:
    """The `count` words of the text with the highest TF-IDF, stop words left out.

    A word nested in a longer top-ranked keyword (机构 in 机构编制) gives way to it. A short text
    still yields up to `count` keywords when it has that many distinct content words: every
    candidate is ranked, none is cut by a score threshold.
    """
    extractor = load_extractor(stopwords or STOPWORDS, userdict or USERDICT)
    ranked = [word for word in extractor.extract_tags(text, topK=None) if is_content_word(word)]
    kept = drop_nested(ranked, ranked[: count * 3])
    return tuple(kept + [word for word in ranked if word not in kept])[:count]


def drop_nested(words: list[str], pool: list[str]) -> list[str]:
    """Words that are not part of a longer word in the pool: 政绩观 goes when 正确政绩观 is there."""
    return [word for word in words if not any(word != longer and word in longer for longer in pool)]
