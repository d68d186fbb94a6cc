"""The speech record: one model, one writer, one reader.

A record is what downstream tools read, so its shape is versioned (`SCHEMA_VERSION`) and built
in exactly one place (`build_record`) and written as UTF-8 YAML with Chinese kept as characters
by one writer (`dump_record`). Putting them on disk is the run's business (`flows.run_state.files`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from cleaners.document import Decoded, Section, SpeechDraft
from cleaners.settings import DATA_DIR

SCHEMA_VERSION = 1

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR_TAG, _MAP_TAG, _SEQ_TAG = _TAG + "str", _TAG + "map", _TAG + "seq"
_PLAIN_SCALARS = {  # what SafeRepresenter makes of these types, without its lookups
    type(None): lambda data: yaml.ScalarNode(_TAG + "null", "null"),
    bool: lambda data: yaml.ScalarNode(_TAG + "bool", "true" if data else "false"),
    int: lambda data: yaml.ScalarNode(_TAG + "int", str(data)),
    str: lambda data: yaml.ScalarNode(_STR_TAG, data),
}


class _RecordDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """The safe dumper, with shortcuts for what a record is made of; the YAML is the same.

    PyYAML's C emitter still asks the Python representer and resolver about every node, and
    a record has a few hundred: their generic paths (alias bookkeeping, lookups along the
    type's MRO, implicit-tag regexes tried on Chinese text) were most of a record's writing time.
    """

    def represent_data(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind in _PLAIN_SCALARS:
            return _PLAIN_SCALARS[kind](data)
        if kind is dict:
            pairs = [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()]
            return yaml.MappingNode(_MAP_TAG, pairs, flow_style=self.default_flow_style)
        if kind is list:
            items = [self.represent_data(item) for item in data]
            return yaml.SequenceNode(_SEQ_TAG, items, flow_style=self.default_flow_style)
        return super().represent_data(data)  # floats, and anything unexpected

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # A plain str scalar unless an implicit type (bool, int, null…) could start with this
        # character; asked without implicit resolution, always (this dumper has no path rules).
        implicit_types = self.yaml_implicit_resolvers
        if kind is yaml.ScalarNode and (not implicit[0] or (value and value[0] not in implicit_types)):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


@dataclass(frozen=True)
class SourceInfo:
    """Where a record came from: the raw file, its format and how its bytes were decoded."""

    path: str
    sha256: str
    decoded: Decoded
    format: str = "text"
    script: str = "simplified"
    script_converted: bool = False


def speech_id(source_sha256: str, index: int) -> str:
    """A stable id: the same input bytes and speech position give the same id on every run.

    >>> speech_id("ab" * 32, 1) == speech_id("ab" * 32, 1) != speech_id("ab" * 32, 2)
    True
    """
    return hashlib.sha256(f"{source_sha256}:{index}".encode()).hexdigest()[:16]


def body_sha256(sections: Sequence[Section]) -> str:
    """A hash of the speech body alone, for spotting the same speech in different inputs."""
    text = "\n".join(
        line for s in sections for line in ((s.heading,) if s.heading else ()) + tuple(s.paragraphs)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def build_record(
    draft: SpeechDraft,
    meta: Any,
    source: SourceInfo,
    index: int,
    count: int,
    rewrites: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The record of one speech, keys in reading order (see docs/record.md for each field)."""
    decoded = source.decoded
    return {
        "schema_version": SCHEMA_VERSION,
        "id": speech_id(source.sha256, index),
        "title": draft.title,
        "date": meta.date,
        "speaker": meta.speaker,
        "occasion": meta.occasion,
        "genre": meta.genre,
        "site": meta.site,
        "outlet": meta.credits.outlet,
        "author": meta.credits.author,
        "editor": meta.credits.editor,
        "truncated": meta.truncated,
        "char_count": meta.char_count,
        "redactions": meta.redactions,
        "keywords": list(meta.keywords),
        "source": {
            "path": source.path,
            "sha256": source.sha256,
            "speech": index,
            "speeches_in_input": count,
            "format": source.format,
            "encoding": decoded.encoding,
            "encoding_confidence": round(decoded.confidence, 4),
            "encoding_method": decoded.method,
            "declared_encoding": decoded.declared,
            "mojibake_repaired": decoded.repaired,
            "replacement_chars": decoded.replacements,
            "script": source.script,
            "script_converted": source.script_converted,
        },
        "body_sha256": body_sha256(draft.sections),
        "sections": [
            {"heading": s.heading, "level": s.level, "paragraphs": list(s.paragraphs)} for s in draft.sections
        ],
        "removed": [{"text": r.text, "reason": r.reason, "stage": r.stage} for r in draft.removed],
        "rewrites": dict(rewrites or {}),
    }


def dump_record(record: dict[str, Any]) -> str:
    """The record as human-readable YAML (Chinese as characters, no line folding)."""
    fast = _plain_block_yaml(record)
    if fast is not None:
        return fast
    return yaml.dump(record, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False, width=1_000_000)


# Writing YAML by hand when every string is one line of characters libyaml prints as they are
# (nearly every record): PyYAML's C emitter still asks Python about each of a record's few hundred
# nodes, 0.25 ms a record; this takes 0.03. Anything else (escapes, line breaks) goes to PyYAML.
# libyaml's rules (emitter.c, yaml_emitter_analyze_scalar), with allow_unicode: printable means no
# controls, NEL, NBSP, line or paragraph separators, BOM, non-characters or characters past U+FFFF;
# a string is written plain unless it starts with an indicator ("-", "?" or ":" only before a space),
# "---", "..." or a space, holds ": " or " #", ends with ":" or a space, or would read back as
# another type (a number, a date, null…); then it is single-quoted.
_UNPRINTABLE = re.compile(r"[^\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_INDICATORS = "#,[]{}&*!|>'\"%@` "  # a plain string cannot start with one (nor with a space)
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_IMPLICIT = _RecordDumper.yaml_implicit_resolvers  # first character ("" too) → (tag, pattern) pairs
# First characters after which a string needs the full rules of _odd_string: an indicator, "?" or
# ":", or the first character of an implicit type ("-" and "." among them, so "---" and "..."
# too; "" for the empty string).
_ODD_FIRST = frozenset(_INDICATORS) | frozenset("?:") | frozenset(_IMPLICIT)


class _NotPlain(Exception):
    """A value the hand writer leaves to PyYAML."""


def _plain_block_yaml(record: dict[str, Any]) -> str | None:
    """`record` as PyYAML's safe dumper writes it, or None when a value needs PyYAML itself."""
    if type(record) is not dict or not record:
        return None
    out: list[str] = []
    try:
        _write_mapping(record, 0, "", out)
    except _NotPlain:
        return None
    return "".join(out)


def _write_mapping(data: dict[str, Any], indent: int, lead: str, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if type(key) is not str or len(key) > 100:  # libyaml writes keys over 128 bytes as "? key"
            raise _NotPlain
        written_key = _SHORT_STRINGS.get(key) or _scalar(key)  # keys are the same few: skip a call
        kind = type(value)
        if (kind is dict or kind is list) and value:
            out.append(f"{lead}{written_key}:\n")
            if kind is dict:
                _write_mapping(value, indent + 2, pad + "  ", out)
            else:
                _write_sequence(value, indent, out)  # PyYAML indents no sequence under a key
        else:
            out.append(f"{lead}{written_key}: {_scalar(value)}\n")
        lead = pad


def _write_sequence(data: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in data:
        kind = type(item)
        if kind is dict and item:
            _write_mapping(item, indent + 2, pad + "- ", out)
        elif kind is list and item:
            raise _NotPlain
        else:
            out.append(f"{pad}- {_scalar(item)}\n")


_SHORT_STRINGS: dict[str, str] = {}  # keys, reason codes, stage names: the same few, written often


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        written = _SHORT_STRINGS.get(value)
        if written is not None:
            return written
        plain = (  # the rules of _needs_quotes, for a string with no odd first character
            value[:1] not in _ODD_FIRST
            and value[-1] not in ": "
            and ": " not in value
            and " #" not in value
            and len(value) <= 500_000
            and not _UNPRINTABLE.search(value)
        )
        written = value if plain else _odd_string(value)
        if len(value) <= 16 and len(_SHORT_STRINGS) < 4096:
            _SHORT_STRINGS[value] = written
        return written
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float and _FLOAT.fullmatch(repr(value)):
        return repr(value)
    if (kind is list or kind is dict) and not value:
        return "[]" if kind is list else "{}"
    raise _NotPlain


def _odd_string(value: str) -> str:
    """A string that may not be written plain: single-quoted, or left to PyYAML."""
    if len(value) > 500_000 or _UNPRINTABLE.search(value):  # escapes; folding past width
        raise _NotPlain
    if value == "" or _needs_quotes(value) or any(p.match(value) for _, p in _IMPLICIT.get(value[0], ())):
        return "'" + value.replace("'", "''") + "'"
    return value


def _needs_quotes(value: str) -> bool:
    """True when libyaml would not write this non-empty, printable string plain (see above).

    Tests on the ends of the string and two substring searches: one regex with these rules as
    alternatives tried them at every character of every paragraph, five times the cost of the
    printable-character scan.

    >>> [_needs_quotes(s) for s in ("- 甲", "-甲", "甲: 乙", "甲:乙", "甲：", "甲:", "...甲", "#1")]
    [True, False, True, False, False, True, True, True]
    """
    first = value[0]
    return (
        first in _INDICATORS
        or (first in "?:-" and value[1:2] in ("", " "))
        or value.startswith(("---", "..."))
        or value.endswith((":", " "))
        or ": " in value
        or " #" in value
    )


def load_records(text: str) -> Iterator[dict[str, Any]]:
    """Read records back with the safe loader only."""
    return (doc for doc in yaml.load_all(text, Loader=_Loader) if isinstance(doc, dict))


def load_schema() -> dict[str, Any]:
    """The JSON Schema every record satisfies (shipped as cleaners/data/record.schema.json)."""
    return json.loads((DATA_DIR / "record.schema.json").read_text(encoding="utf-8"))
