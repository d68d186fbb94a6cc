"""Say what a run did: a console summary, a report file in the clean folder, a Prefect artifact.

All three come from one `BatchSummary`, so they always agree.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from cleaners.names import escape_name
from cleaners.records import dump_record
from flows.run_state.batch import BatchSummary
from flows.run_state.clusters import cluster_counts
from flows.run_state.files import STATE_DIR, write_atomically
from flows.run_state.manifest import Manifest
from flows.run_state.plan import RunPlan
from flows.run_state.refusals import refusal_data
from flows.words import plural

# The report file's shape; 2 names each refused input as {reason, detail} (1: "reason: detail").
REPORT_VERSION = 2


def report_data(
    summary: BatchSummary, manifest: Manifest, plan: RunPlan, deleted: list[str], seconds: float
) -> dict[str, Any]:
    """The run report as plain data (the YAML report file holds exactly this).

    Every current input is counted once: cleaned (records written by this run), unchanged
    (records kept from an earlier run), refused (by this run or, unchanged since, an earlier
    one, so a rerun still names it) or unfinished (a stopped run). A refused input is named
    with its reason code and detail, `{path: {reason, detail}}`, and counted per reason. File
    names that are not UTF-8 appear in their escaped form (`cleaners.names`).
    """
    entries = {p: manifest.entries[p] for p in plan.todo + plan.fresh if p in manifest.entries}
    refused = {escape_name(p): e.refused for p, e in entries.items() if e.refused}
    done = summary.outcomes
    return {
        "report_version": REPORT_VERSION,
        "inputs": len(plan.todo) + len(plan.fresh),
        "cleaned": sum(1 for p in plan.todo if p in done and not done[p].refused),
        "skipped_unchanged": sum(1 for p in plan.fresh if p in entries and not entries[p].refused),
        "unfinished": sum(1 for p in plan.todo if p not in done),
        "speeches": summary.speeches,
        "speeches_total": sum(len(e.records) for e in entries.values()),
        "refused": {p: refusal_data(r) for p, r in sorted(refused.items())},
        "refused_by_reason": dict(Counter(r.reason for r in refused.values()).most_common()),
        "inputs_gone": [escape_name(p) for p in plan.gone],
        "records_deleted": deleted,
        "removals_by_reason": dict(summary.removals_by_reason.most_common()),
        "seconds_by_stage": {k: round(v, 3) for k, v in summary.seconds.most_common()},
        "seconds_total": round(seconds, 3),
        "megabytes": round(summary.bytes / 1e6, 3),
        **cluster_counts(manifest),  # clusters of copies over all records, copies beyond one each
    }


def refusal_line(why: dict[str, str]) -> str:
    """A refusal of the report in one line, for people: `binary: PNG signature`."""
    return f"{why['reason']}: {why['detail']}" if why["detail"] else why["reason"]


SHOWN_REFUSALS = 5  # refused inputs named on the console; the report names them all


def render_text(report: dict[str, Any], seconds: float | None = None) -> str:
    """A short console summary whose counts add up to the inputs; `seconds`: the run's wall time."""
    counts = [f"{report['cleaned']} cleaned", f"{report['skipped_unchanged']} unchanged"]
    counts.append(f"{len(report['refused'])} refused")
    if report.get("unfinished"):
        counts.append(f"{report['unfinished']} not finished")
    took = report["seconds_total"] if seconds is None else seconds
    lines = [
        f"{plural(report['inputs'], 'input')}: {', '.join(counts)}; "
        f"{plural(report['speeches'], 'speech')} written ({report['speeches_total']} in all) in {took:.1f} s"
    ]
    refused = report["refused"]
    if refused:
        by_reason = ", ".join(f"{k} {v}" for k, v in report.get("refused_by_reason", {}).items())
        lines.append(f"  refused by reason: {by_reason}")
        shown = list(refused.items())[:SHOWN_REFUSALS]
        lines += [f"  refused {path}: {refusal_line(why)}" for path, why in shown]
        if len(refused) > SHOWN_REFUSALS:
            lines.append(f"  … and {len(refused) - SHOWN_REFUSALS} more refused (all named in the report)")
    for folder, why in report.get("unreadable_folders", {}).items():
        lines.append(f"  folder not read: {folder} ({why}); its files were not cleaned")
    if report.get("copies"):
        lines.append(
            f"  {report['clusters']} distinct speeches: {report['copies']} records are copies of another "
            f"({report['clusters_with_copies']} speeches have copies)"
        )
    if report["inputs_gone"]:
        kept = "deleted" if report["records_deleted"] else "kept; --prune deletes them"
        gone = plural(len(report["inputs_gone"]), "input")
        lines.append(f"  {gone} gone from the raw folder (records {kept})")
    if report["removals_by_reason"]:
        counts = ", ".join(f"{k} {v}" for k, v in report["removals_by_reason"].items())
        lines.append(f"  removed lines by reason: {counts}")
    return "\n".join(lines)


def render_markdown(report: dict[str, Any]) -> str:
    """The report as Markdown, for the Prefect artifact and report.md."""
    out = [
        "# jianggao run report",
        "",
        "| inputs | cleaned | unchanged | refused | not finished | speeches | seconds |",
        "|---|---|---|---|---|---|---|",
        f"| {report['inputs']} | {report['cleaned']} | {report['skipped_unchanged']} | "
        f"{len(report['refused'])} | {report.get('unfinished', 0)} | {report['speeches']} | "
        f"{report['seconds_total']} |",
    ]
    if "clusters" in report:
        out += ["", "## Copies", "", "| distinct speeches | extra copies | speeches with copies |"]
        out += ["|---|---|---|"]
        out += [f"| {report['clusters']} | {report['copies']} | {report['clusters_with_copies']} |"]
    if report.get("stopped"):
        out += ["", f"Stopped early ({report['stopped']}): run the same command again to finish."]
    if report.get("unreadable_folders"):
        out += ["", "## Folders that could not be read", ""]
        out += [f"- `{p}`: {why}" for p, why in report["unreadable_folders"].items()]
    if report["refused"]:
        by_reason = ", ".join(f"{k} {v}" for k, v in report.get("refused_by_reason", {}).items())
        out += ["", "## Refused inputs", "", f"By reason: {by_reason}", ""]
        out += ["| input | reason | detail |", "|---|---|---|"]
        out += [f"| `{p}` | `{why['reason']}` | {why['detail']} |" for p, why in report["refused"].items()]
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
