"""Say what a run did: a console summary, a report file in the clean folder, a Prefect artifact.

All three come from one `BatchSummary`, so they always agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cleaners.records import dump_record, write_atomically
from flows.batch import STATE_DIR, BatchSummary


def report_data(summary: BatchSummary, skipped: int = 0, seconds: float = 0.0) -> dict[str, Any]:
    """The run report as plain data (the YAML report file holds exactly this)."""
    return {
        "inputs": summary.inputs + skipped,
        "cleaned": summary.inputs - len(summary.refused),
        "skipped_unchanged": skipped,
        "speeches": summary.speeches,
        "refused": dict(sorted(summary.refused.items())),
        "removals_by_reason": dict(summary.removals.most_common()),
        "seconds_by_stage": {k: round(v, 3) for k, v in summary.seconds.most_common()},
        "seconds_total": round(seconds, 3),
        "megabytes": round(summary.bytes / 1e6, 3),
    }


def render_text(report: dict[str, Any]) -> str:
    """A short console summary: counts, refused inputs with reasons, removals per reason."""
    lines = [
        f"{report['inputs']} inputs: {report['cleaned']} cleaned, "
        f"{report['skipped_unchanged']} unchanged, {len(report['refused'])} refused; "
        f"{report['speeches']} speeches written in {report['seconds_total']:.1f} s"
    ]
    lines += [f"  refused {path}: {why}" for path, why in report["refused"].items()]
    if report["removals_by_reason"]:
        counts = ", ".join(f"{k} {v}" for k, v in report["removals_by_reason"].items())
        lines.append(f"  removed lines by reason: {counts}")
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown, for the Prefect artifact and report.md."""
    out = [
        "# jianggao run report",
        "",
        "| inputs | cleaned | unchanged | refused | speeches | seconds |",
        "|---|---|---|---|---|---|",
        f"| {report['inputs']} | {report['cleaned']} | {report['skipped_unchanged']} | "
        f"{len(report['refused'])} | {report['speeches']} | {report['seconds_total']} |",
    ]
    if report["refused"]:
        out += ["", "## Refused inputs", "", "| input | reason |", "|---|---|"]
        out += [f"| `{p}` | {why} |" for p, why in report["refused"].items()]
    if report["removals_by_reason"]:
        out += ["", "## Removed lines by reason", "", "| reason | lines |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in report["removals_by_reason"].items()]
    if report["seconds_by_stage"]:
        out += ["", "## Time per stage", "", "| stage | seconds |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in report["seconds_by_stage"].items()]
    return "\n".join(out) + "\n"


def write_report(clean_dir: Path, report: dict[str, Any]) -> Path:
    """Write report.yaml and report.md under the clean folder's state directory."""
    state = clean_dir / STATE_DIR
    write_atomically(state / "report.yaml", dump_record(report))
    write_atomically(state / "report.md", render_markdown(report))
    return state / "report.md"
