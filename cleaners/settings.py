"""One immutable settings object for a cleaning run, with documented defaults.

Flows and the command line build a `Settings` once and hand it down; no stage reads options
from anywhere else. Rule files default to the copies shipped in `cleaners/data/`; point a field
at your own file to extend them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Settings:
    """Options for cleaning.

    max_bytes: inputs larger than this are refused as `too_large` (default 20 MB).
    keywords: how many jieba keywords each record carries.
    boilerplate_rules: YAML file of boilerplate phrases and patterns per reason code.
    punctuation_table: YAML file of punctuation mappings.
    stopwords: word list (one a line) kept out of keywords.
    noise_rules: YAML file of anti-copy noise rules (injected symbols, jammer shape, watermarks).
    keep_script: keep a traditional-script input in traditional characters (by default it is
        converted to simplified; either way the record's `source.script` says which it was).
    userdict: jieba user dictionary of terms that must stay whole.
    batch_size: how many input files one Prefect task cleans. Each task run costs about 0.07 s
        of CPU (Prefect's server, for its states and events, and the client) and 0.05 s of
        wall time, so batches are large; the pool still spreads a batch over every core, 32
        inputs at a time. A failed batch is retried whole, and its records appear together
        when it ends.
    batch_timeout: seconds a batch may take on the worker pool before it fails (and is retried).
    """

    max_bytes: int = 20_000_000
    keywords: int = 8
    boilerplate_rules: Path = DATA_DIR / "boilerplate.yaml"
    punctuation_table: Path = DATA_DIR / "punctuation.yaml"
    stopwords: Path = DATA_DIR / "stopwords.txt"
    userdict: Path = DATA_DIR / "userdict.txt"
    noise_rules: Path = DATA_DIR / "noise.yaml"
    keep_script: bool = False
    batch_size: int = 2048
    batch_timeout: float = 3600.0
