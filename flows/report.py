"""Say what a run did: a console summary, a report file in the clean folder, a Prefect artifact.

All three come from one `BatchSummary`, so they always agree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cleaners.records import STATE_DIR, dump_record, write_atomically
from flows.batch import BatchSummary
from flows.clusters import cluster_counts
from flows.manifest import Manifest
from flows.plan import RunPlan


def report_data(
    summary: BatchSummary, manifest: Manifest, plan: RunPlan, deleted: list[str], seconds: float
) -> dict[str, Any]:
    """The run report as plain data (the YAML report file holds exactly this).

    Refusals cover every current input, the unchanged ones too, so a rerun still names them.
    """
    current = plan.todo + plan.fresh
    refused = {p: manifest.entries[p].refused for p in current if manifest.entries[p].refused}
    return {
        "inputs": len(current),
        "cleaned": len(summary.outcomes) - len(summary.refused),
        "skipped_unchanged": len(plan.fresh),
        "speeches": summary.speeches,
        "speeches_total": sum(len(manifest.entries[p].records) for p in current),
        "refused": dict(sorted(refused.items())),
        "inputs_gone": plan.gone,
        "records_deleted": deleted,
        "removals_by_reason": dict(summary.removals_by_reason.most_common()),
        "seconds_by_stage": {k: round(v, 3) for k, v in summary.seconds.most_common()},
        "seconds_total": round(seconds, 3),
        "megabytes": round(summary.bytes / 1e6, 3),
        **cluster_counts(manifest),  # clusters of copies over all records, copies beyond one each
    }


def render_text(report: dict[str, Any]) -> str:
    """A short console summary: counts, refused inputs with reasons, removals per reason."""
    lines = [
        f"{report['inputs']} inputs: {report['cleaned']} cleaned, "
        f"{report['skipped_unchanged']} unchanged, {len(report['refused'])} refused; "
        f"{report['speeches']} speeches written ({report['speeches_total']} in all) "
        f"in {report['seconds_total']:.1f} s"
    ]
    lines += [f"  refused {path}: {why}" for path, why in report["refused"].items()]
    if report.get("copies"):
        lines.append(
            f"  {report['clusters']} distinct speeches: {report['copies']} records are copies of another "
            f"({report['clusters_with_copies']} speeches have copies)"
        )
    if report["inputs_gone"]:
        kept = "deleted" if report["records_deleted"] else "kept; --prune deletes them"
        lines.append(f"  {len(report['inputs_gone'])} inputs gone from the raw folder (records {kept})")
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
    if "clusters" in report:
        out += ["", "## Copies", "", "| distinct speeches | extra copies | speeches with copies |"]
        out += ["|---|---|---|"]
        out += [f"| {report['clusters']} | {report['copies']} | {report['clusters_with_copies']} |"]
    if report["refused"]:
        out += ["", "## Refused inputs", "", "| input | reason |", "|---|---|"]
        out += [f"| `{p}` | {why} |" for p, why in report["refused"].items()]
    if report["inputs_gone"]:
        out += ["", "## Inputs gone from the raw folder", ""] + [f"- `{p}`" for p in report["inputs_gone"]]
    if report["removals_by_reason"]:
        out += ["", "## Removed lines by reason", "", "| reason | lines |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in report["removals_by_reason"].items()]
    if report["seconds_by_stage"]:
        out += ["", "## CPU time per stage", "", "| stage | seconds |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in report["seconds_by_stage"].items()]
    return "\n".join(out) + "\n"


def write_report(clean_dir: Path, report: dict[str, Any]) -> Path:
    """Write report.yaml and report.md under the clean folder's state directory."""
    state = clean_dir / STATE_DIR
    write_atomically(state / "report.yaml", dump_record(report))
    write_atomically(state / "report.md", render_markdown(report))
    return state / "report.md"
