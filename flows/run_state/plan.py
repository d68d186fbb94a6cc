"""Decide what a run must do, and bring the manifest up to date afterwards.

Plain functions over the manifest, so the flow stays a list of steps and the rules for
"unchanged" can be tested without Prefect.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cleaners.site_memory import SiteMemory
from flows.run_state.batch import BatchSummary
from flows.run_state.files import STATE_DIR, write_atomically
from flows.run_state.manifest import Manifest, is_fresh


@dataclass
class RunPlan:
    """Inputs to clean, inputs left as they are, and manifest inputs no longer in the raw folder."""

    todo: list[str]
    fresh: list[str]
    gone: list[str]
    sites: dict[str, str] = field(default_factory=dict)


def plan_run(
    raw: Path, clean: Path, inputs: list[str], manifest: Manifest, pipeline: str, force: bool
) -> RunPlan:
    """Split `inputs` into those to clean and those whose records are current."""
    if force or manifest.pipeline != pipeline:
        fresh = []
    else:
        fresh = [p for p in inputs if is_fresh(manifest.entries.get(p), raw / p, clean)]
    fresh_set = set(fresh)
    todo = [p for p in inputs if p not in fresh_set]
    gone = sorted(set(manifest.entries) - set(inputs))
    sites = {p: manifest.entries[p].site for p in fresh}
    return RunPlan(todo, fresh, gone, sites)


def rules_digest(lines: frozenset[str]) -> str:
    """A short hash of a site's learned lines, so a change to them can be noticed."""
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16] if lines else ""


def restale_changed_sites(plan: RunPlan, manifest: Manifest, rules: dict[str, str]) -> list[str]:
    """Move fresh inputs whose site learned new boilerplate to the to-do list; returns them."""
    changed = [
        p for p in plan.fresh if rules.get(plan.sites[p], "") != manifest.site_rules.get(plan.sites[p], "")
    ]
    for path in changed:
        plan.fresh.remove(path)
        plan.todo.append(path)
    return changed


def update_manifest(
    clean: Path, manifest: Manifest, summary: BatchSummary, gone: list[str], prune: bool
) -> list[str]:
    """Record this run's outcomes; delete records an input no longer produces.

    Records of inputs that disappeared stay (and are reported) unless `prune` is set. Returns
    the record files deleted.
    """
    deleted = []
    for path, outcome in summary.outcomes.items():
        old = manifest.entries.get(path)
        keep = {r["file"] for r in outcome.records}
        if old:
            deleted += _delete_records(clean, [r["file"] for r in old.records if r["file"] not in keep])
        manifest.entries[path] = outcome
    if prune:
        for path in gone:
            deleted += _delete_records(clean, [r["file"] for r in manifest.entries.pop(path).records])
    return deleted


def _delete_records(clean: Path, files: list[str]) -> list[str]:
    """Delete record files, refusing any path that would leave the clean folder."""
    root = clean.resolve()
    done = []
    for name in files:
        target = (clean / name).resolve()
        if root in target.parents and target.suffix == ".yaml":
            target.unlink(missing_ok=True)
            done.append(name)
    return done


def load_site_memory(clean: Path) -> SiteMemory:
    """The boilerplate learned by earlier runs, or an empty memory."""
    try:
        text = (clean / STATE_DIR / "site_memory.json").read_text(encoding="utf-8")
        return SiteMemory.from_dict(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError):
        return SiteMemory()


def save_site_memory(clean: Path, memory: SiteMemory) -> None:
    text = json.dumps(memory.to_dict(), ensure_ascii=False, sort_keys=True)
    write_atomically(clean / STATE_DIR / "site_memory.json", text)
