"""The record writer: its shortcuts write exactly the YAML PyYAML's safe dumper writes."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.records import dump_record, load_records

# Strings a resolver shortcut could get wrong: YAML's implicit types, indicators, Chinese text.
TRICKY = st.sampled_from(
    ["", "yes", "No", "null", "~", "true", "1.5", "0x1F", "2026-11-22", "-", "- 一", "#注", ": ", "&a", "*b",
     "!x", "=", "<<", ".inf", "+1", "同志们：", "一、加强", "（一）", "1. 落实", "12:30", "a\nb",
     "...", ".x", ".5", "a #b", "a#b", "a:", "a:b", " a", "a ", "a'b", "'", "a\tb", "a\u00a0b", "a\u2028b",
     "讲话\U00020000", "\ufeff讲话", "a\x85b", "a\x7fb", "-a", "?a", ":a", "a,b", "[a]", "%a", "`a", "@a"]
)
KEYS = st.one_of(TRICKY, st.text(max_size=6))
SCALARS = st.one_of(
    TRICKY, st.text(max_size=12), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=5))
def test_dump_record_writes_what_the_safe_dumper_writes(record):
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the one records were written with before
    expected = yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    assert dump_record(record) == expected
    assert list(load_records(dump_record(record))) == [record]


def test_a_usual_record_is_written_by_hand_and_reads_back():
    from cleaners.records import _plain_block_yaml

    record = {
        "id": "0f3a",
        "title": "在全市安全生产工作会议上的讲话",
        "date": "2024-03-12",
        "truncated": False,
        "keywords": ["安全生产", "责任"],
        "source": {"path": "a/b.html", "encoding_confidence": 0.8731, "declared_encoding": None},
        "sections": [{"heading": "一、提高认识", "level": 1, "paragraphs": ["同志们：", "今天开会。"]}],
        "removed": [],
    }
    text = _plain_block_yaml(record)
    assert text is not None and "date: '2024-03-12'\n" in text
    assert list(load_records(text)) == [record]
