"""Compose the stages: raw bytes of one input in, speech records (or a refusal) out.

decode → extract → denoise_document → strip_boilerplate → reflow → normalize_punctuation →
split_speeches → describe_speech → build_record. Word, PDF and RTF files (told by their bytes)
are read by their format's reader in `formats` instead of decode → extract. Anti-copy noise goes
first after reading, so that boilerplate rules and site learning see clean simplified lines and
reflow the real line ends. Reflow runs before punctuation on purpose: the spaces and short lines
left by PDF wrapping are the evidence reflow needs, and punctuation removes them.

Each input's cleaning is written as a generator that yields after every stage, so that
`clean_inputs` can run many inputs' stages in lockstep (`cleaners.lockstep`), which also times
them. This module only wires stages together; it does no I/O, so flows decide where inputs
come from and where records go.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaners.boilerplate import load_boilerplate_rules, scan_lines, strip_scanned
from cleaners.decode import decode_bytes
from cleaners.document import Decoded, Extracted, Line, Refusal, Removal, SpeechDraft
from cleaners.extract import extract_lines
from cleaners.formats import read_document, sniff_format
from cleaners.lockstep import Run, Steps, run_alone, run_in_lockstep
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


# Called after each stage with its name, the lines it passed on and the removals it made, when
# a caller asks to follow one input through the stages (`cleaners.explain`).
Trace = Callable[[str, Sequence[Line], Sequence[Removal]], None]


def _no_trace(stage: str, lines: Sequence[Line], removed: Sequence[Removal]) -> None:
    return None


def prepare_input(
    data: bytes, rel_path: str, settings: Settings, trace: Trace = _no_trace
) -> Prepared | Refusal:
    """Decode and extract one input, or say why it cannot be read."""
    return run_alone(_preparing(data, rel_path, settings, trace)).outcome


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
    return _timed(run_alone(_cleaning(data, rel_path, settings, learned, trace)))


def clean_inputs(
    inputs: Sequence[tuple[bytes, str]],
    settings: Settings,
    learned: Mapping[str, frozenset[str]] | None = None,
) -> list[CleanedInput | Exception]:
    """`clean_input` for each (bytes, path), stage by stage over all of them (`cleaners.lockstep`):
    the same results for less CPU. An input a stage fails on gets the exception in its place."""
    runs = run_in_lockstep([_cleaning(data, rel_path, settings, learned) for data, rel_path in inputs])
    return [run.outcome if isinstance(run.outcome, Exception) else _timed(run) for run in runs]


def _timed(run: Run[CleanedInput]) -> CleanedInput:
    """The run's result, with the CPU seconds of its stages."""
    run.outcome.seconds.update(run.seconds)
    return run.outcome


def _preparing(data: bytes, rel_path: str, settings: Settings, trace: Trace) -> Steps[Prepared | Refusal]:
    fmt = sniff_format(data, rel_path)
    if fmt != "text" and len(data) <= settings.max_bytes:
        read = read_document(data, fmt)
        yield "read"
        if isinstance(read, Refusal):
            return read
        decoded, extracted = read.decoded, read.extracted
    else:
        decoded = decode_bytes(data, max_bytes=settings.max_bytes)
        yield "decode"
        if isinstance(decoded, Refusal):
            return decoded
        extracted = extract_lines(decoded.text)
        yield "extract"
        fmt = "html" if extracted.is_html else "text"
    trace("read" if fmt not in ("html", "text") else "extract", extracted.lines, extracted.removed)
    denoised = denoise_document(extracted, settings.keep_script, load_noise_rules(settings.noise_rules))
    yield "noise"
    trace("noise", denoised.extracted.lines, denoised.extracted.removed[len(extracted.removed) :])
    extracted = denoised.extracted
    return Prepared(decoded, extracted, site_key(rel_path, extracted), fmt, denoised)


def _cleaning(
    data: bytes,
    rel_path: str,
    settings: Settings,
    learned: Mapping[str, frozenset[str]] | None,
    trace: Trace = _no_trace,
) -> Steps[CleanedInput]:
    result = CleanedInput(rel_path, hashlib.sha256(data).hexdigest(), len(data))
    prepared = yield from _preparing(data, rel_path, settings, trace)
    if isinstance(prepared, Refusal):
        result.refusal = prepared
        return result
    extracted = prepared.extracted
    result.site = prepared.site
    rules = load_boilerplate_rules(settings.boilerplate_rules)
    scanned = scan_lines(extracted.lines, rules)
    result.observed = observe_scanned(prepared.site, scanned, page_title=extracted.page_title)
    site_lines = (learned or {}).get(prepared.site, frozenset())
    stripped = strip_scanned(scanned, rules, site_lines)
    yield "boilerplate"
    trace("boilerplate", stripped.lines, stripped.removed)
    unrepeated, repeats = drop_repeated_paragraphs(stripped.lines)
    lines = reflow_lines(unrepeated)
    yield "reflow"
    trace("reflow", lines, repeats)
    lines = _normalize_lines(lines, settings)
    yield "punctuation"
    trace("punctuation", lines, ())
    removed = extracted.removed + stripped.removed + repeats
    drafts = split_speeches(lines, removed, extracted.page_title, site_lines)
    yield "structure"
    made_here = [r for d in drafts for r in d.removed if r.stage == "structure"]
    trace("structure", (), made_here)
    result.removals.update(r.reason for r in removed)
    if not drafts:
        result.refusal = Refusal("no_speech", "no speech text found after removing page chrome")
        return result
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
    yield "metadata"
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
    yield "record"
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
