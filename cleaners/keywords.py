"""Keywords of a speech: TF-IDF over jieba's segmentation, with a genre stop-word list and a user dictionary.

Speeches share a large stock of words (工作, 必须, 同志们, 进一步, 坚持, 加强…) that TF-IDF over a
general corpus still ranks high; `data/stopwords.txt` keeps them out so the subject shows. Terms
of the trade (机构编制, 全面从严治党, 正确政绩观…) would be cut into pieces by jieba's general
dictionary; `data/userdict.txt` keeps them whole.

Speed: the text is cut by jieba-rs (the `rjieba` binding), jieba's algorithm and dictionary in
Rust: the same words as `jieba.Tokenizer.cut` (tests/cleaners/test_keywords.py checks it), about
20 times faster, and its dictionary loads in a third of a second instead of one and a half.
jieba's HMM pass for unknown words is off (the user dictionary names the terms that matter).
The IDF table is jieba's own file, read directly: importing `jieba.analyse` pulls in the
part-of-speech tagger. One model per (stop words, user dictionary) pair is built and kept.
"""

from __future__ import annotations

import gc
import importlib.util
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rjieba

from cleaners.settings import DATA_DIR

STOPWORDS = DATA_DIR / "stopwords.txt"
USERDICT = DATA_DIR / "userdict.txt"
JIEBA_DIR = Path(importlib.util.find_spec("jieba").origin).parent  # data only: no need to import it
IDF_TABLE = JIEBA_DIR / "analyse" / "idf.txt"
CONTENT_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")  # two or more ideographs: no digits, Latin, marks
UNSEEN = object()
USERDICT_ENTRY = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")  # jieba's own: word [freq] [tag]
COMMON_MARKS = "，。、“”：；"  # the commonest punctuation of Chinese prose


def read_words(path: Path) -> frozenset[str]:
    """The words of a one-word-a-line list (blank lines and `#` comments skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class KeywordModel:
    """A segmenter with the user dictionary, jieba's IDF table and the stop words.

    `seen` remembers what each token met so far is worth, its IDF or None when it is no keyword
    (a stop word, a single character): one lookup in a table of the few thousand words speeches
    use, where a token is otherwise tested three times and looked up among the 270,000 words of
    jieba's table. Numbers and Latin words (`2026`, `abc`) are not remembered, for they have no
    end; a test tells them.
    """

    segmenter: rjieba.Jieba
    idf: dict[str, float]
    median_idf: float
    stopwords: frozenset[str]
    seen: dict[str, float | None] = field(default_factory=dict, compare=False, repr=False)

    def word_idf(self, word: str) -> float | None:
        """The word's IDF (the median for a word jieba's table lacks); None when it is no keyword."""
        idf = self.seen.get(word, UNSEEN)
        if idf is UNSEEN:
            if len(word) == 1:  # one character: no keyword, and there are only so many
                idf = None
            elif not CONTENT_WORD.match(word):  # digits, Latin: no keyword, and no end to them
                return None
            else:
                idf = None if word in self.stopwords else self.idf.get(word, self.median_idf)
            self.seen[word] = idf
        return idf


@lru_cache(maxsize=16)
def load_model(stopwords: Path | None = None, userdict: Path | None = None) -> KeywordModel:
    """The model for these word lists (default: the shipped ones), built once per process.

    Cached twice: on the paths as given (resolving them costs system calls, on every speech),
    then on the resolved paths, so two spellings of one file share one model."""
    return _build_model(Path(stopwords or STOPWORDS).resolve(), Path(userdict or USERDICT).resolve())


@lru_cache(maxsize=4)
def _build_model(stopwords: Path, userdict: Path) -> KeywordModel:
    """Its own segmenter leaves the module-level default one alone."""
    with _collector_paused():
        segmenter = rjieba.Jieba()
        for word, freq, tag in read_userdict(userdict):
            segmenter.add_word(word, freq, tag)
        idf = {}
        for line in IDF_TABLE.read_text(encoding="utf-8").splitlines():
            word, _, value = line.partition(" ")
            if value:
                idf[word] = float(value)
    median = sorted(idf.values())[len(idf) // 2]
    return KeywordModel(segmenter, idf, median, read_words(stopwords))


def read_userdict(path: Path) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, part of speech) per line of a jieba user dictionary; the last two optional.

    >>> read_userdict(USERDICT)[0]
    ('机构编制', 20, 'n')
    """
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        match = USERDICT_ENTRY.match(line.strip())
        if match and not line.startswith("#"):
            word, freq, tag = match.groups()
            entries.append((word, int(freq) if freq else None, tag))
    return entries


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector: loading the dictionaries creates about a million objects,
    which trigger collection after collection with nothing to free (the load takes 40% less)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def blank_common_marks(text: str) -> str:
    """The text with its commonest punctuation marks turned into spaces: the same words to jieba.

    jieba cuts a text into maximal runs of ideographs, ASCII letters, digits and `+#&._%-`,
    segments each run on its own and makes every other character a token of its own (a `\\r\\n`
    pair one token). A mark and a space are both such characters, so every run, hence every word,
    stays as it was. But jieba-rs hands a space back as CPython's one shared `' '`, where a mark is
    a new string to decode from UTF-8, hash and count: a fifth of a speech's tokens are marks.
    Seven `str.replace` passes cost far less (keyword extraction 0.77 -> 0.73 M instructions on a
    benchmark speech of 470 characters, 5.49 -> 5.24 M on the real pages' of 4,700).

    >>> blank_common_marks("同志们：今天，开会。")
    '同志们 今天 开会 '
    """
    for mark in COMMON_MARKS:
        text = text.replace(mark, " ")
    return text


def weigh_words(model: KeywordModel, text: str) -> dict[str, float]:
    """The TF-IDF of each content word of the text."""
    seen, weight = model.seen, {}
    for word, count in Counter(model.segmenter.cut(blank_common_marks(text), False)).items():
        idf = seen.get(word, UNSEEN)
        if idf is UNSEEN:
            idf = model.word_idf(word)
        if idf is not None:
            weight[word] = count * idf
    return weight


def rank_words(model: KeywordModel, text: str) -> list[str]:
    """Every content word of the text, highest TF-IDF first (ties by the word, so runs agree)."""
    return rank(weigh_words(model, text))


def rank(weight: dict[str, float], limit: int | None = None) -> list[str]:
    """The words highest weight first, ties by the word; with a limit, the first `limit` only (and
    any tied with the last), which saves sorting the long tail by word: 0.22 -> 0.08 ms on the
    benchmark speeches (4,700 characters on average), 0.014 -> 0.007 ms on short ones.

    >>> weight = {"乙": 1.0, "甲": 1.0, "丙": 3.0, "丁": 0.5}
    >>> rank(weight), rank(weight, 2)
    (['丙', '乙', '甲', '丁'], ['丙', '乙', '甲'])
    """
    words = sorted(weight, key=weight.__getitem__, reverse=True)
    if limit is not None and limit < len(words):
        end = limit
        while end < len(words) and weight[words[end]] == weight[words[limit - 1]]:
            end += 1
        words = words[:end]
    # By the word, then (a stable sort keeps that order among equals) by weight, highest first:
    # two sorts with no key built in Python, a third faster than one by (-weight, word).
    return sorted(sorted(words), key=weight.__getitem__, reverse=True)


def extract_keywords(
    text: str, count: int = 8, stopwords: Path | None = None, userdict: Path | None = None
) -> tuple[str, ...]:
    """The `count` words of the text with the highest TF-IDF, stop words left out.

    A word nested in a longer top-ranked keyword (机构 in 机构编制) gives way to it. A short text
    still yields up to `count` keywords when it has that many distinct content words: every
    candidate is ranked, none is cut by a score threshold.
    """
    weight = weigh_words(load_model(stopwords, userdict), text)
    top = rank(weight, count * 3)
    kept = drop_nested(top, top[: count * 3], count)
    if len(kept) < count:  # too few words left past the top: the whole ranking, nested ones last
        ranked = rank(weight)
        kept = drop_nested(ranked, ranked[: count * 3], count)
        kept += [word for word in ranked if word not in kept]
    return tuple(kept[:count])


def drop_nested(words: list[str], pool: list[str], limit: int | None = None) -> list[str]:
    """Words that are not part of a longer word in the pool: 政绩观 goes when 正确政绩观 is there.

    Stops after `limit` words (a speech ranks a thousand words; the caller wants eight). The pool
    is searched as one text, a word to a line: a word is nested when it occurs there more often
    than on its own line (pool words are distinct and hold no line break), one `str.count` in
    place of a test per pool word (0.012 -> 0.003 ms a speech).

    >>> drop_nested(["政绩观", "正确政绩观", "机构", "会议"], ["政绩观", "正确政绩观", "机构编制"])
    ['正确政绩观', '会议']
    """
    lines, own = "\n".join(pool), set(pool)
    kept: list[str] = []
    for word in words:
        if lines.count(word) <= (word in own):
            kept.append(word)
            if len(kept) == limit:
                break
    return kept
