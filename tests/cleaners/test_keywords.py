"""The keyword model's segmenter (jieba-rs) cuts as jieba itself does with the same user dictionary."""

from functools import lru_cache
from pathlib import Path

import jieba
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.decode import decode_bytes
from cleaners.extract import extract_lines
from cleaners.keywords import USERDICT, load_model, read_userdict

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


def cuts_agree(text: str) -> bool:
    return load_model().segmenter.cut(text, False) == list(reference_tokenizer().cut(text, HMM=False))


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


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_segmenter_cuts_any_genre_text_as_jieba_does(text):
    assert cuts_agree(text)
