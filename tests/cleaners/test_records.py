"""The record writer: its shortcuts write exactly the YAML PyYAML's safe dumper writes."""

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.records import dump_record, load_records

# Strings a resolver shortcut could get wrong: YAML's implicit types, indicators, Chinese text.
TRICKY = st.sampled_from(
    ["", "yes", "No", "null", "~", "true", "1.5", "0x1F", "2026-11-22", "-", "- 一", "#注", ": ", "&a", "*b",
     "!x", "=", "<<", ".inf", "+1", "同志们：", "一、加强", "（一）", "1. 落实", "12:30", "a\nb"]
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
