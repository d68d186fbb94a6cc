"""Compose the stages: raw bytes of one input in, speech records (or a refusal) out.

decode → extract → strip_boilerplate → reflow → normalize_punctuation → split_speeches →
describe_speech → build_record. Reflow runs before punctuation on purpose: the spaces and
short lines left by PDF wrapping are the evidence reflow needs, and punctuation removes them.

This module only wires stages together and times them; it does no I/O, so flows decide where
inputs come from and where records go.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from cleaners.boilerplate import load_boilerplate_rules, strip_boilerplate
from cleaners.decode import decode_bytes
from cleaners.document import Decoded, Extracted, Line, Refusal
from cleaners.extract import extract_lines
from cleaners.metadata import describe_speech
from cleaners.punctuation import load_punctuation_table, normalize_punctuation
from cleaners.records import SourceInfo, build_record
from cleaners.reflow import reflow_lines
from cleaners.repeats import drop_repeated_paragraphs
from cleaners.settings import Settings
from cleaners.site_memory import Observation, observe_document, site_key
from cleaners.structure import split_speeches


@dataclass
class CleanedInput:
    """What cleaning one input produced: records or a refusal, and how it went."""

    rel_path: str
    sha256: str
    size: int
    site: str = ""
    observed: Observation | None = None
    records: tuple[dict[str, Any], ...] = ()
    refusal: Refusal | None = None
    removals: Counter[str] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Prepared:
    """An input decoded and extracted, and the site it belongs to."""

    decoded: Decoded
    extracted: Extracted
    site: str


class _Clock:
    """Adds up the CPU time each stage takes (the thread's own, so a busy machine's waiting
    for a core does not count against a stage)."""

    def __init__(self, seconds: Counter[str]) -> None:
        self.seconds = seconds

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.thread_time()
        try:
            yield
        finally:
            self.seconds[name] += time.thread_time() - start


def prepare_input(
    data: bytes, rel_path: str, settings: Settings, clock: _Clock | None = None
) -> Prepared | Refusal:
    """Decode and extract one input, or say why it cannot be read."""
    clock = clock or _Clock(Counter())
    with clock.stage("decode"):
        decoded = decode_bytes(data, max_bytes=settings.max_bytes)
    if isinstance(decoded, Refusal):
        return decoded
    with clock.stage("extract"):
        extracted = extract_lines(decoded.text)
    return Prepared(decoded, extracted, site_key(rel_path, extracted))


def clean_input(
    data: bytes, rel_path: str, settings: Settings, learned: Mapping[str, frozenset[str]] | None = None
) -> CleanedInput:
    """Clean one input's bytes into speech records; `learned` maps sites to their recurring lines.

    The result also says which site the input belongs to and what it shows of that site
    (`observed`), so a run can learn from the inputs it cleans.
    """
    result = CleanedInput(rel_path, hashlib.sha256(data).hexdigest(), len(data))
    clock = _Clock(result.seconds)
    prepared = prepare_input(data, rel_path, settings, clock)
    if isinstance(prepared, Refusal):
        result.refusal = prepared
        return result
    extracted = prepared.extracted
    result.site = prepared.site
    with clock.stage("boilerplate"):
        rules = load_boilerplate_rules(settings.boilerplate_rules)
        result.observed = observe_document(prepared.site, extracted.lines, rules=rules)
        site_lines = (learned or {}).get(prepared.site, frozenset())
        stripped = strip_boilerplate(extracted.lines, rules, site_lines)
    with clock.stage("reflow"):
        unrepeated, repeats = drop_repeated_paragraphs(stripped.lines)
        lines = reflow_lines(unrepeated)
    with clock.stage("punctuation"):
        lines = _normalize_lines(lines, settings)
    with clock.stage("structure"):
        removed = extracted.removed + stripped.removed + repeats
        drafts = split_speeches(lines, removed, extracted.page_title)
    result.removals.update(r.reason for r in removed)
    if not drafts:
        result.refusal = Refusal("no_speech", "no speech text found after removing page chrome")
        return result
    source = SourceInfo(rel_path, result.sha256, prepared.decoded)
    records = []
    for index, draft in enumerate(drafts, start=1):
        with clock.stage("metadata"):
            meta = describe_speech(
                draft,
                extracted.meta,
                stripped.paywalled,
                keywords=settings.keywords,
                stopwords=settings.stopwords,
                userdict=settings.userdict,
            )
        records.append(build_record(draft, meta, source, index, len(drafts)))
    result.records = tuple(records)
    result.removals.update(
        r.reason for d in drafts for r in d.removed if r.stage == "structure"
    )
    return result


def _normalize_lines(lines: tuple[Line, ...], settings: Settings) -> tuple[Line, ...]:
    table = load_punctuation_table(settings.punctuation_table)
    return tuple(_with_text(line, normalize_punctuation(line.text, table)) for line in lines)


def _with_text(line: Line, text: str) -> Line:
    """The line with this text: itself when unchanged (lines are frozen, so sharing is safe)."""
    return line if text == line.text else replace(line, text=text)
