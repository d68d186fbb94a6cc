"""The keyword model's segmenter (jieba-rs) cuts as jieba itself does with the same user dictionary.

Where the two may differ, and why keywords are still right: both pick the most probable route
through the same word graph, and when two routes are exactly as probable they break the tie
differently. `乡乡乡同` is such a text: 乡/乡乡/同 and 乡乡/乡/同 are the same words in another
order, so their probabilities are one sum in another order. Keywords count words and never look
at their order (`rank_words`), so they come out the same. The property test below therefore
checks the same words and, where the order differs, an equally probable route; its examples are
derandomized, so the test never passes or fails by the seed.
"""

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.decode import decode_bytes
from cleaners.extract import extract_lines
from cleaners.keywords import (
    COMMON_MARKS,
    CONTENT_WORD,
    USERDICT,
    blank_common_marks,
    load_model,
    rank_words,
    read_userdict,
)

RAW = Path(__file__).resolve().parents[2] / "raw"
SPEECH = (
    "同志们：今天召开全市机构编制工作会议，主要任务是深入学习贯彻全面从严治党要求。\n"
    "一、提高政治站位，树立正确政绩观。\n（一）严格执行机构编制审批程序，把好关口。\n"
    "二要强化执政资源统筹，2026年底前完成3项改革，推进“放管服”改革向纵深发展！"
)
# Ideographs of the genre, with punctuation, digits and Latin letters between them.
PIECES = st.sampled_from(
    list("同志们全面从严治党机构编制资源政绩观乡村振兴产业发展党的建设会议精神，。：、；！？“”（）12 ab\n")
)


@lru_cache(maxsize=1)
def reference_tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(USERDICT))
    return tokenizer


def jieba_cut(text: str) -> list[str]:
    return list(reference_tokenizer().cut(text, HMM=False))


def cuts_agree(text: str) -> bool:
    return load_model().segmenter.cut(text, False) == jieba_cut(text)


def log_probability(words: list[str]) -> float:
    """The route's probability under jieba's dictionary, as jieba scores it (unknown words 1)."""
    tokenizer = reference_tokenizer()
    total = math.log(tokenizer.total)
    return sum(math.log(tokenizer.FREQ.get(word) or 1) - total for word in words)


def keywords_by_jieba(text: str) -> list[str]:
    """`rank_words` with jieba's own cut in place of jieba-rs's."""
    model = load_model()
    weight = {
        word: count * model.idf.get(word, model.median_idf)
        for word, count in Counter(jieba_cut(text)).items()
        if len(word) > 1 and word not in model.stopwords and CONTENT_WORD.match(word)
    }
    return sorted(weight, key=lambda w: (-weight[w], w))


def test_user_dictionary_is_read_as_jieba_reads_it(tmp_path):
    userdict = tmp_path / "userdict.txt"
    userdict.write_text("\ufeff正确政绩观 20 n\n执政资源\n放管服 5\n", encoding="utf-8")
    assert read_userdict(userdict) == [("正确政绩观", 20, "n"), ("执政资源", None, None), ("放管服", 5, None)]


def test_segmenter_cuts_a_speech_as_jieba_does():
    assert cuts_agree(SPEECH)
    assert "机构编制" in load_model().segmenter.cut(SPEECH, False)  # a user-dictionary term kept whole


def test_segmenter_cuts_the_sample_inputs_as_jieba_does():
    texts = []
    for path in sorted(p for p in RAW.rglob("*") if p.is_file()):
        decoded = decode_bytes(path.read_bytes())
        if hasattr(decoded, "text"):
            texts.append("\n".join(line.text for line in extract_lines(decoded.text).lines))
    assert len(texts) >= 3
    assert all(cuts_agree(text) for text in texts)


def test_on_a_tie_the_segmenters_order_the_same_words_differently_and_keywords_agree():
    text = "乡乡乡同"
    ours, theirs = load_model().segmenter.cut(text, False), jieba_cut(text)
    assert ours == ["乡", "乡乡", "同"] and theirs == ["乡乡", "乡", "同"]  # rjieba 0.2.2, jieba 0.42.1
    assert Counter(ours) == Counter(theirs)
    assert math.isclose(log_probability(ours), log_probability(theirs), rel_tol=1e-12)
    assert rank_words(load_model(), text) == keywords_by_jieba(text) == ["乡乡"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_segmenter_cuts_any_genre_text_into_jiebas_words_and_keywords(text):
    ours, theirs = load_model().segmenter.cut(text, False), jieba_cut(text)
    assert "".join(ours) == text
    assert Counter(ours) == Counter(theirs)
    if ours != theirs:  # a tie: an equally probable route
        assert math.isclose(log_probability(ours), log_probability(theirs), rel_tol=1e-12)
    assert rank_words(load_model(), text) == keywords_by_jieba(text)


def test_remembered_words_rank_as_on_first_sight_and_only_ideograph_words_are_kept():
    model = load_model()
    first = rank_words(model, SPEECH)
    assert rank_words(model, SPEECH) == first == keywords_by_jieba(SPEECH)
    assert "工作" not in first and model.seen["工作"] is None  # a stop word, remembered as one
    rank_words(model, "2026年 第3项 abc 12345 x1")
    assert not {"2026", "12345", "abc"} & model.seen.keys()  # numbers and Latin: never remembered


# Marks and the characters jieba treats apart: word-class ASCII next to a mark, a lone `\r`.
MARKED_PIECES = PIECES | st.sampled_from([*COMMON_MARKS, "\r", "+", "%", "-", ".", "X", "9", "\u3000"])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(MARKED_PIECES, max_size=60).map("".join))
def test_blanking_the_common_marks_leaves_every_word_as_it_was(text):
    cut = load_model().segmenter.cut
    blanked = blank_common_marks(text)
    assert len(blanked) == len(text) and not set(COMMON_MARKS) & set(blanked)
    words = [word for word in cut(text, False) if word not in COMMON_MARKS and word != " "]
    assert [word for word in cut(blanked, False) if word != " "] == words
