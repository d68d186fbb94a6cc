#!/usr/bin/env python3
"""Time and memory that near-duplicate clustering adds per record.

    python3 benchmarks/near_dupes.py [--files 600] [--synthetic 100000] [--libraries]

1. The throughput corpus (built from raw/ as benchmarks/throughput.py builds it, every copy
   varied in most of its lines): each file is cleaned once without Prefect, then the records
   are sketched (what a worker adds per record) and clustered (what the run adds after the
   batches: linking, naming, writing the index). Printed beside `clean_input`'s own CPU per
   file, so the share clustering adds can be read off.
2. Synthetic speeches (random text over the samples' characters, 500-4,000 characters, one in
   ten a copy of another: an edited repost or a truncated preview): sketched and clustered in
   one run, then a second run adds 100 new records to the indexed corpus (the incremental
   case: load, link the new records, name, save). Memory: bytes of the stored index per
   record, and the peak Python allocation while linking (tracemalloc).
3. With --libraries: one MinHash signature of a 4,400-character speech with rensa (what
   jianggao uses) against datasketch, when it is installed.

CPU times (time.process_time), so a busy machine disturbs them less than wall time.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import build_corpus  # noqa: E402

from cleaners.cluster_graph import ClusterState, add_records, name_clusters  # noqa: E402
from cleaners.near_dupes import sketch_record, sketch_text  # noqa: E402
from cleaners.pipeline import clean_input  # noqa: E402
from cleaners.settings import Settings  # noqa: E402
from flows.run_state.clusters import INDEX_FILE, load_index, save_index  # noqa: E402


def cluster_once(sketches: dict, clean: Path) -> tuple[float, int, int]:
    """Link, name and save `sketches` into a fresh index: CPU seconds, peak bytes, file bytes.

    Timed without tracemalloc (it slows allocation several times over), then run again under it.
    """
    seconds = 0.0
    for traced in (False, True):
        state = ClusterState()
        if traced:
            tracemalloc.start()
        start = time.process_time()
        add_records(state, sketches)
        name_clusters(state)
        save_index(clean, state)
        seconds = seconds or time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, (clean / "_jianggao" / INDEX_FILE).stat().st_size


def throughput_corpus(files: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, clean = Path(tmp) / "raw", Path(tmp) / "clean"
        build_corpus(ROOT / "raw", corpus, files)
        settings, records, clean_cpu = Settings(), [], 0.0
        for path in sorted(corpus.iterdir()):
            data = path.read_bytes()
            start = time.process_time()
            result = clean_input(data, path.name, settings)
            clean_cpu += time.process_time() - start
            records += [(f"{path.name}.{i}.yaml", r) for i, r in enumerate(result.records, 1)]
        start = time.process_time()
        sketches = {name: sketch_record(record) for name, record in records}
        sketch_cpu = time.process_time() - start
        link_cpu, peak, size = cluster_once(sketches, clean)
        state = load_index(clean)
        clusters = len({m.cluster for m in name_clusters(state).values()})
    n = len(records)
    print(f"throughput corpus: {files} files, {n} records, {clusters} clusters")
    print(f"  clean_input CPU per file     {clean_cpu / files * 1000:7.3f} ms")
    print(f"  sketch CPU per record        {sketch_cpu / n * 1000:7.3f} ms  (in the workers)")
    print(f"  cluster CPU per record       {link_cpu / n * 1000:7.3f} ms  (link, name, write the index)")
    share = (sketch_cpu + link_cpu) / clean_cpu * 100
    print(f"  clustering adds {share:.1f}% to cleaning's CPU")
    print(
        f"  index on disk {size / n:.0f} B per record; "
        f"peak Python memory while clustering {peak / n:.0f} B per record"
    )


def synthetic_texts(count: int, seed: int = 5) -> Iterator[tuple[str, str, bool]]:
    """(name, text, truncated): random text over the samples' characters, a tenth of it copies
    of a recent speech (texts are made as they are used, so 100,000 need little memory)."""
    paths = sorted((ROOT / "raw").glob("*.txt"))
    sample = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in paths)
    alphabet = np.array(sorted({ord(c) for c in sample if "\u4e00" <= c <= "\u9fff"}), dtype=np.uint32)
    rng, prng = np.random.default_rng(seed), random.Random(seed)
    recent: list[str] = []
    for i in range(count):
        name = f"s{i:06d}.txt.1.yaml"
        if i and i % 10 == 0:  # a copy of a recent speech: a third of it as a preview, or edited
            original = prng.choice(recent)
            if i % 20 == 0:
                yield name, original[: len(original) // 3], True
            else:
                cut = prng.randrange(len(original))
                yield name, original[:cut] + "有关部门" + original[cut + 20 :], False
            continue
        codes = rng.choice(alphabet, size=int(rng.integers(500, 4000)))
        codes[rng.integers(0, len(codes), size=len(codes) // 12)] = ord("，")
        text = codes.tobytes().decode("utf-32-le")
        recent = [*recent[-999:], text]
        yield name, text, False


def synthetic(count: int) -> None:
    texts = synthetic_texts(count + 100)
    sketches, chars, sketch_cpu = {}, 0, 0.0
    for name, text, cut in itertools.islice(texts, count):
        chars += len(text)
        start = time.process_time()
        sketches[name] = sketch_text(text, truncated=cut)
        sketch_cpu += time.process_time() - start
    new = list(texts)
    with tempfile.TemporaryDirectory() as tmp:
        clean = Path(tmp)
        link_cpu, peak, size = cluster_once(sketches, clean)
        members = name_clusters(load_index(clean))
        copies = count - len({m.cluster for m in members.values()})
        del sketches, members
        start = time.process_time()
        state = load_index(clean)
        add_records(state, {name: sketch_text(text, truncated=cut) for name, text, cut in new})
        name_clusters(state)
        save_index(clean, state)
        rerun_cpu = time.process_time() - start
    print(
        f"synthetic: {count} speeches ({chars / count:.0f} characters on average), "
        f"{copies} found as copies (planted: {(count - 1) // 10})"
    )
    print(f"  sketch CPU per record        {sketch_cpu / count * 1000:7.3f} ms")
    print(f"  cluster CPU per record       {link_cpu / count * 1000:7.3f} ms  (all {count} in one run)")
    print(f"  a later run adding 100 records: {rerun_cpu:.2f} s CPU (load, link, name, save the index)")
    print(
        f"  index on disk {size / count:.0f} B per record ({size / 1e6:.1f} MB); "
        f"peak Python memory while clustering {peak / count:.0f} B per record ({peak / 1e6:.0f} MB)"
    )


def libraries() -> None:
    text = (ROOT / "raw").glob("*.txt").__next__().read_text(encoding="utf-8", errors="ignore") * 2
    from cleaners.near_dupes import canonical_codes

    canon = "".join(map(chr, canonical_codes(text)))
    shingles = [canon[i : i + 5] for i in range(len(canon) - 4)]
    runs = 50
    start = time.process_time()
    for _ in range(runs):
        sketch_text(text)
    print(
        f"jianggao sketch (rensa + numpy) of {len(canon)} characters: "
        f"{(time.process_time() - start) / runs * 1000:.3f} ms"
    )
    try:
        from datasketch import MinHash
    except ImportError:
        print("datasketch not installed: pip install datasketch to compare")
        return
    encoded = [s.encode() for s in shingles]
    start = time.process_time()
    for _ in range(runs // 5):
        MinHash(num_perm=128, seed=1).update_batch(encoded)
    print(
        f"datasketch MinHash(128).update_batch: {(time.process_time() - start) / (runs // 5) * 1000:.3f} ms "
        "(shingles already made)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--libraries", action="store_true")
    args = parser.parse_args()
    if args.files:
        throughput_corpus(args.files)
    if args.synthetic:
        synthetic(args.synthetic)
    if args.libraries:
        libraries()
    return 0


if __name__ == "__main__":
    sys.exit(main())
