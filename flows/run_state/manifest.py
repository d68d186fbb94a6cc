"""The run manifest: which inputs produced which records, under which pipeline.

A rerun skips an input when its bytes, the pipeline that cleaned it (code, rule files and
settings) and its site's learned boilerplate are all unchanged and its records still exist. The
manifest is ours, not Prefect's result cache: a cache hit would not rewrite a deleted record.
Each record's entry also says which cluster of copies it is in and whether it is that
cluster's canonical copy (`cluster`, `canonical`; set by `flows.run_state.clusters.update_clusters`).
A refused input's entry holds its refusal as `{"reason": …, "detail": …}` (`flows.run_state.refusals`).

Version 2 (refusals as reason and detail) reads version 1 too, whose refusals were one
`"reason: detail"` string: an old clean folder loads, and its next save writes version 2.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import cleaners
from cleaners.names import is_clean_name
from cleaners.records import SCHEMA_VERSION
from cleaners.settings import Settings
from flows.run_state.batch import Outcome
from flows.run_state.files import STATE_DIR, write_atomically
from flows.run_state.refusals import read_refusal, refusal_data

MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)  # 1: a refusal was one "reason: detail" string


@dataclass
class Manifest:
    """Every input of the last runs (keyed by its path relative to the raw folder), the pipeline
    that cleaned them, and the hash of each site's learned boilerplate they were cleaned with."""

    pipeline: str = ""
    site_rules: dict[str, str] = field(default_factory=dict)
    entries: dict[str, Outcome] = field(default_factory=dict)

    @classmethod
    def load(cls, clean_dir: Path) -> Manifest:
        """The manifest in `clean_dir`, or an empty one when there is none or it is unreadable."""
        try:
            data = json.loads((clean_dir / STATE_DIR / "manifest.json").read_text(encoding="utf-8"))
            if data.get("version") not in READABLE_VERSIONS:
                return cls()
            entries = {k: _outcome(v) for k, v in data["inputs"].items()}
            return cls(data["pipeline"], data["site_rules"], entries)
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, clean_dir: Path) -> None:
        """Write the manifest as JSON, one input a line.

        Each part goes through the json module's C encoder; with `indent` it falls back to the
        pure-Python one, which took a third of a second for 3,000 inputs.
        """
        head = {"version": MANIFEST_VERSION, "pipeline": self.pipeline, "site_rules": self.site_rules}
        inputs = ",\n".join(
            f"{_json(path)}: {_json(_entry_data(entry))}" for path, entry in sorted(self.entries.items())
        )
        text = f'{_json(head)[:-1]}, "inputs": {{\n{inputs}\n}}}}\n'
        write_atomically(clean_dir / STATE_DIR / "manifest.json", text)


def _entry_data(entry: Outcome) -> dict:
    """An input's entry as the manifest writes it: the outcome's fields, the refusal as data."""
    data = vars(entry)
    return data if entry.refused is None else {**data, "refused": refusal_data(entry.refused)}


def _outcome(data: dict) -> Outcome:
    """An input's entry read back, its refusal (either version's) made a `Refusal` again."""
    return Outcome(**{**data, "refused": read_refusal(data.get("refused"))})


# Kept encoders: json.dumps builds a new one on every call that passes options.
_READABLE = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_ESCAPED = json.JSONEncoder(ensure_ascii=True, sort_keys=True)


def _json(value: object) -> str:
    """JSON with Chinese kept readable. A file name that is not UTF-8 (Python holds its bytes as
    lone surrogates) is written with `\\udcXX` escapes instead: plain ASCII that reads back
    into exactly the name as given."""
    text = _READABLE.encode(value)
    return text if is_clean_name(text) else _ESCAPED.encode(value)


def pipeline_fingerprint(settings: Settings) -> str:
    """A hash of everything that shapes a record: stage code, rule files and settings.

    Batch size and worker count are left out: they change how fast, never what. Changing any
    of the rest makes every input stale, so a rerun cleans it again.
    """
    shaping = (
        f"schema={SCHEMA_VERSION};max_bytes={settings.max_bytes};keywords={settings.keywords}"
        f";keep_script={settings.keep_script}"
    )
    digest = hashlib.sha256(shaping.encode())
    package = Path(cleaners.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in {".pyc"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    rule_files = (
        settings.boilerplate_rules,
        settings.punctuation_table,
        settings.stopwords,
        settings.userdict,
        settings.noise_rules,
    )
    for rules in rule_files:
        if Path(rules).is_file() and package not in Path(rules).resolve().parents:
            digest.update(Path(rules).read_bytes())
    return digest.hexdigest()[:16]


def is_fresh(entry: Outcome | None, path: Path, clean_dir: Path) -> bool:
    """True when `path` need not be cleaned again: same size and mtime, records all present.

    A file whose size and modification time are unchanged is taken as unchanged without
    reading it, as make and rsync do.
    """
    if entry is None:
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    if (stat.st_size, stat.st_mtime_ns) != (entry.size, entry.mtime_ns):
        return False
    return all((clean_dir / rec["file"]).is_file() for rec in entry.records)
