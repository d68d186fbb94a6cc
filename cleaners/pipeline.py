"""Compose the stages: raw bytes of one input in, speech records (or a refusal) out.

decode → extract → denoise_document → strip_boilerplate → reflow → normalize_punctuation →
split_speeches → describe_speech → build_record. Word, PDF and RTF files (told by their bytes)
are read by their format's reader in `formats` instead of decode → extract. Anti-copy noise goes
first after reading, so that boilerplate rules and site learning see clean simplified lines and
reflow the real line ends. Reflow runs before punctuation on purpose: the spaces and short lines
left by PDF wrapping are the evidence reflow needs, and punctuation removes them.

This module only wires stages together and times them; it does no I/O, so flows decide where
inputs come from and where records go.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaners.boilerplate import load_boilerplate_rules, scan_lines, strip_scanned
from cleaners.decode import decode_bytes
from cleaners.document import Decoded, Extracted, Line, Refusal, Removal, SpeechDraft
from cleaners.extract import extract_lines
from cleaners.formats import read_document, sniff_format
from cleaners.metadata import describe_speech
from cleaners.noise import Denoised, denoise_document, load_noise_rules
from cleaners.punctuation import load_punctuation_table, normalize_punctuation
from cleaners.records import SourceInfo, build_record
from cleaners.reflow import reflow_lines
from cleaners.repeats import drop_repeated_paragraphs
from cleaners.settings import Settings
from cleaners.site_memory import Observation, observe_scanned, site_key
from cleaners.structure import owning_speech, split_speeches


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
    """An input decoded and extracted, the site it belongs to and its format (`html`, `text`,
    or a document format such as `docx`)."""

    decoded: Decoded
    extracted: Extracted
    site: str
    format: str
    denoised: Denoised


class _Clock:
    """Adds up the CPU time each stage takes (the thread's own, so a busy machine's waiting
    for a core does not count against a stage). `with clock.stage(name):` times one stage;
    stages do not nest. A plain context manager, not a generator one: it runs a dozen times
    per input.

    Reading the thread's clock is a system call (0.5–3 us, a few per cent of a small input's
    work when read twice per stage), so a stage starts from the reading that ended the one
    before: the little that runs between two stages (tracing, handing results on) counts
    towards the next stage, and an input costs one reading per stage plus one.
    """

    def __init__(self, seconds: Counter[str]) -> None:
        self.seconds = seconds
        self.name = ""
        self.start = 0.0
        self.last_reading: float | None = None  # when the last stage ended

    def stage(self, name: str) -> _Clock:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.start = time.thread_time() if self.last_reading is None else self.last_reading

    def __exit__(self, *exc: object) -> None:
        self.last_reading = time.thread_time()
        self.seconds[self.name] += self.last_reading - self.start


# Called after each stage with its name, the lines it passed on and the removals it made, when
# a caller asks to follow one input through the stages (`cleaners.explain`).
Trace = Callable[[str, Sequence[Line], Sequence[Removal]], None]


def _no_trace(stage: str, lines: Sequence[Line], removed: Sequence[Removal]) -> None:
    return None


def prepare_input(
    data: bytes, rel_path: str, settings: Settings, clock: _Clock | None = None, trace: Trace = _no_trace
) -> Prepared | Refusal:
    """Decode and extract one input, or say why it cannot be read."""
    clock = clock or _Clock(Counter())
    fmt = sniff_format(data, rel_path)
    if fmt != "text" and len(data) <= settings.max_bytes:
        with clock.stage("read"):
            read = read_document(data, fmt)
        if isinstance(read, Refusal):
            return read
        decoded, extracted = read.decoded, read.extracted
    else:
        with clock.stage("decode"):
            decoded = decode_bytes(data, max_bytes=settings.max_bytes)
        if isinstance(decoded, Refusal):
            return decoded
        with clock.stage("extract"):
            extracted = extract_lines(decoded.text)
        fmt = "html" if extracted.is_html else "text"
    trace("read" if fmt not in ("html", "text") else "extract", extracted.lines, extracted.removed)
    with clock.stage("noise"):
        denoised = denoise_document(extracted, settings.keep_script, load_noise_rules(settings.noise_rules))
    trace("noise", denoised.extracted.lines, denoised.extracted.removed[len(extracted.removed) :])
    extracted = denoised.extracted
    return Prepared(decoded, extracted, site_key(rel_path, extracted), fmt, denoised)


def clean_input(
    data: bytes,
    rel_path: str,
    settings: Settings,
    learned: Mapping[str, frozenset[str]] | None = None,
    trace: Trace = _no_trace,
) -> CleanedInput:
    """Clean one input's bytes into speech records; `learned` maps sites to their recurring lines.

    The result also says which site the input belongs to and what it shows of that site
    (`observed`), so a run can learn from the inputs it cleans. `trace` sees each stage's output.
    """
    result = CleanedInput(rel_path, hashlib.sha256(data).hexdigest(), len(data))
    clock = _Clock(result.seconds)
    prepared = prepare_input(data, rel_path, settings, clock, trace)
    if isinstance(prepared, Refusal):
        result.refusal = prepared
        return result
    extracted = prepared.extracted
    result.site = prepared.site
    with clock.stage("boilerplate"):
        rules = load_boilerplate_rules(settings.boilerplate_rules)
        scanned = scan_lines(extracted.lines, rules)
        result.observed = observe_scanned(prepared.site, scanned, page_title=extracted.page_title)
        site_lines = (learned or {}).get(prepared.site, frozenset())
        stripped = strip_scanned(scanned, rules, site_lines)
    trace("boilerplate", stripped.lines, stripped.removed)
    with clock.stage("reflow"):
        unrepeated, repeats = drop_repeated_paragraphs(stripped.lines)
        lines = reflow_lines(unrepeated)
    trace("reflow", lines, repeats)
    with clock.stage("punctuation"):
        lines = _normalize_lines(lines, settings)
    trace("punctuation", lines, ())
    with clock.stage("structure"):
        removed = extracted.removed + stripped.removed + repeats
        drafts = split_speeches(lines, removed, extracted.page_title, site_lines)
    made_here = [r for d in drafts for r in d.removed if r.stage == "structure"]
    trace("structure", (), made_here)
    result.removals.update(r.reason for r in removed)
    if not drafts:
        result.refusal = Refusal("no_speech", "no speech text found after removing page chrome")
        return result
    with clock.stage("metadata"):
        metas = [
            describe_speech(
                draft,
                extracted.meta,
                stripped.paywalled,
                keywords=settings.keywords,
                stopwords=settings.stopwords,
                userdict=settings.userdict,
            )
            for draft in drafts
        ]
    denoised = prepared.denoised
    source = SourceInfo(
        rel_path, result.sha256, prepared.decoded, prepared.format, denoised.script, denoised.converted
    )
    rewrites = _rewrites_per_speech(drafts, denoised.rewrites)
    result.records = tuple(
        build_record(draft, meta, source, index, len(drafts), rewrites[index - 1])
        for index, (draft, meta) in enumerate(zip(drafts, metas, strict=True), start=1)
    )
    result.removals.update(r.reason for r in made_here)
    return result


def _rewrites_per_speech(
    drafts: tuple[SpeechDraft, ...], rewrites: tuple[tuple[int, str, int], ...]
) -> list[dict[str, int]]:
    """Each speech's count per rewrite step, by line as removals are (the title's go to the first)."""
    counts: list[Counter[str]] = [Counter() for _ in drafts]
    starts = [draft.start for draft in drafts]
    for line_index, step, count in rewrites:
        counts[owning_speech(starts, line_index)][step] += count
    return [dict(sorted(c.items())) for c in counts]


def _normalize_lines(lines: tuple[Line, ...], settings: Settings) -> tuple[Line, ...]:
    table = load_punctuation_table(settings.punctuation_table)
    return tuple(line.with_text(normalize_punctuation(line.text, table)) for line in lines)
