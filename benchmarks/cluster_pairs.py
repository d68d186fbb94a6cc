#!/usr/bin/env python3
"""Pairwise precision and recall of a clean folder's clusters against the benchmark's gold.

    python3 benchmarks/cluster_pairs.py CLEAN_DIR SET=GOLD [SET=GOLD ...]

CLEAN_DIR is a `jianggao run` output over a raw folder holding each set in a subfolder named SET
(for example dev/, wild/, web/ copied side by side). Truth: records of one gold speech that
names a `seed` are copies of that seed (dev's gold pairs the seeds' copies); every other record
is a speech of its own. Prints the pairs found and missed, pairwise precision and recall, and
for each seed whether its cluster's canonical member is a complete (not truncated) copy, and
whether any complete copy existed.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import yaml


def truth_of(gold_args: list[str]) -> dict[tuple[str, int], str]:
    """(input path under the combined raw folder, speech number) → the speech it is."""
    truth = {}
    for arg in gold_args:
        name, _, path = arg.partition("=")
        docs = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        docs = docs["docs"] if isinstance(docs, dict) and "docs" in docs else docs
        if isinstance(docs, dict):  # the web set: {file: labels}
            docs = [{"raw": k, "speeches": v if isinstance(v, list) else [v]} for k, v in docs.items()]
        for doc in docs:
            for index, speech in enumerate(doc.get("speeches") or [], start=1):
                if isinstance(speech, dict) and speech.get("seed"):
                    truth[(f"{name}/{doc['raw']}", index)] = f"seed {speech['seed']}"
    return truth


def main() -> int:
    clean, gold_args = Path(sys.argv[1]), sys.argv[2:]
    truth = truth_of(gold_args)
    manifest = json.loads((clean / "_jianggao" / "manifest.json").read_text(encoding="utf-8"))
    records = []
    for path, entry in manifest["inputs"].items():
        for index, rec in enumerate(entry["records"], start=1):
            speech = truth.get((path, index), f"{path}#{index}")
            truncated = yaml.safe_load((clean / rec["file"]).read_text(encoding="utf-8"))["truncated"]
            records.append((rec["file"], speech, rec.get("cluster"), rec.get("canonical"), truncated))
    same_true = same_found = both = 0
    for a, b in itertools.combinations(records, 2):
        is_same, found = a[1] == b[1], a[2] is not None and a[2] == b[2]
        same_true += is_same
        same_found += found
        both += is_same and found
        if is_same != found:
            print(f"{'missed' if is_same else 'wrong'}: {a[0]} {b[0]}")
    precision = both / same_found if same_found else 1.0
    recall = both / same_true if same_true else 1.0
    print(
        f"records {len(records)}, clusters {len({r[2] for r in records})}, same-speech pairs {same_true}, "
        f"pairs in one cluster {same_found}: pairwise precision {precision:.3f} recall {recall:.3f}"
    )
    for seed in sorted({r[1] for r in records if r[1].startswith("seed")}):
        copies = [r for r in records if r[1] == seed]
        canonical = [r for r in copies if r[3]]
        complete_exists = any(not r[4] for r in copies)
        status = "complete" if canonical and not canonical[0][4] else "truncated"
        print(
            f"  {seed}: {len(copies)} copies, canonical {canonical[0][0] if canonical else None} "
            f"({status}; a complete copy {'exists' if complete_exists else 'does not exist'})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
