"""Explain one input: what each stage kept, dropped (with reasons) and rewrote (with step names).

The tool a user reaches for when a record looks wrong (`jianggao explain FILE`). It runs the
same pipeline a run does, with a trace that keeps each stage's lines, and compares each stage's
lines with the ones it was given: a line whose index is gone was dropped (its removal says why)
or, in reflow, joined to the line before; a line whose text changed was rewritten. Punctuation
names its steps (`explain_punctuation`); the noise stage's steps are counted on the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cleaners.document import Line, Removal
from cleaners.pipeline import CleanedInput, clean_input
from cleaners.punctuation import explain_punctuation, load_punctuation_table
from cleaners.settings import Settings

WIDTH = 60  # characters of a line shown


@dataclass
class StageOutput:
    """The lines one stage passed on and the removals it made."""

    stage: str
    lines: tuple[Line, ...]
    removed: tuple[Removal, ...]


@dataclass
class Explanation:
    """An input's trip through the stages, and what cleaning it gave."""

    name: str
    stages: list[StageOutput] = field(default_factory=list)
    result: CleanedInput | None = None

    def follow(self, stage: str, lines: Sequence[Line], removed: Sequence[Removal]) -> None:
        self.stages.append(StageOutput(stage, tuple(lines), tuple(removed)))


def explain_input(data: bytes, name: str, settings: Settings | None = None) -> Explanation:
    """Clean one input as a run would, keeping what each stage passed on."""
    explanation = Explanation(name)
    explanation.result = clean_input(data, name, settings or Settings(), trace=explanation.follow)
    return explanation


def short(text: str) -> str:
    """One line of text cut to WIDTH characters.

    >>> short("同志们：" * 20)[-3:]
    '志们…'
    """
    text = " ".join(text.split())
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def describe(explanation: Explanation, settings: Settings | None = None) -> list[str]:
    """The explanation as lines of text, stage by stage."""
    settings = settings or Settings()
    out = [f"{explanation.name}"]
    before: tuple[Line, ...] = ()
    for step in explanation.stages:
        out += describe_stage(step, before, settings)
        if step.stage != "structure":
            before = step.lines
    out += describe_result(explanation.result)
    return out


def describe_stage(step: StageOutput, before: tuple[Line, ...], settings: Settings) -> list[str]:
    """What one stage kept, dropped and rewrote, against the lines it was given."""
    dropped = [f"  - [{r.reason}] {short(r.text)}" for r in step.removed]
    if step.stage == "structure":
        return [f"structure: {len(step.removed)} dropped", *dropped]
    if step.stage == "reflow":
        return describe_reflow(step.lines, before) + dropped
    rewritten = [(old, new) for old, new in pair_lines(before, step.lines) if old.text != new.text]
    head = f"{step.stage}: {len(step.lines)} lines kept, {len(step.removed)} dropped"
    out = [head + (f", {len(rewritten)} rewritten" if rewritten else ""), *dropped]
    table = load_punctuation_table(settings.punctuation_table)
    for old, new in rewritten:
        steps = explain_punctuation(old.text, table)[1] if step.stage == "punctuation" else (step.stage,)
        out += [f"  ~ [{', '.join(steps)}] {short(old.text)}", f"    → {short(new.text)}"]
    return out


def pair_lines(before: tuple[Line, ...], after: tuple[Line, ...]) -> list[tuple[Line, Line]]:
    """Each line a stage passed on, beside the line it was given: by position when the stage kept
    every line (split pieces share an index), else by index."""
    if [line.index for line in before] == [line.index for line in after]:
        return list(zip(before, after, strict=True))
    given = {line.index: line for line in before}
    return [(given[line.index], line) for line in after if line.index in given]


def describe_reflow(lines: tuple[Line, ...], before: tuple[Line, ...]) -> list[str]:
    """Reflow's work: wrapped lines joined into paragraphs, run-together text split at headings.
    (A paragraph repeated many times is dropped just before, with the reason shown after this.)

    A line keeps the index of the line it starts in, so lines given that no output line starts
    in were joined to the line before; an index several output lines share was split.
    """
    pieces: dict[int, list[Line]] = {}
    for line in lines:
        pieces.setdefault(line.index, []).append(line)
    given = {line.index: line for line in before}
    joined = [index for index in given if index not in pieces]
    out = [f"reflow: {len(before)} lines → {len(lines)} ({len(joined)} joined to the line before)"]
    for index, parts in pieces.items():
        if len(parts) > 1 and index in given:
            out.append(f"  ⇉ split into {len(parts)}: {short(given[index].text)}")
    ends = sorted(pieces)
    for index in joined:
        into = max((k for k in ends if k < index), default=None)
        if into is not None and given[index].text.strip():
            out.append(f"  ⇇ joined to line {into}: {short(given[index].text)}")
    return out


def describe_result(result: CleanedInput | None) -> list[str]:
    """The records (title, date, sections, rewrites) or the refusal."""
    if result is None:
        return []
    if result.refusal:
        return [f"refused: {result.refusal.reason}: {result.refusal.detail}"]
    out = []
    for record in result.records:
        source = record["source"]
        out.append(
            f"record {source['speech']}: {record['title']} | date {record['date']} | "
            f"{len(record['sections'])} sections | {source.get('format', 'text')}, "
            f"{source['encoding']} ({source['encoding_method']}, {source['encoding_confidence']})"
        )
        if record.get("rewrites"):
            out.append("  rewrites: " + ", ".join(f"{k} {v}" for k, v in record["rewrites"].items()))
    return out
