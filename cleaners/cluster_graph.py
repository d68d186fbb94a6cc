"""Clusters of copies over a growing corpus: link the records a run adds, then name the clusters.

The state is plain data a flow can store: the records in the order they joined, their sketches
(`cleaners.near_dupes`), the copy links between them, each preview's one container, and the
cluster each record was in. A run adds records and removes others; only the records it adds,
and the remaining members of clusters that lost one, are compared with the corpus (through the
LSH band keys), never the corpus with itself. Clusters keep their id for their life: a merged
cluster keeps the id of the member that joined first, a new one is named after its founder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from cleaners.near_dupes import DEFAULTS, NearDupeSettings, Sketch, choose_canonical, cluster_id, link_kind


@dataclass
class ClusterState:
    """Records (by name) in joining order, with what links them and the clusters last named."""

    order: list[str] = field(default_factory=list)
    sketches: dict[str, Sketch | None] = field(default_factory=dict)
    copies: dict[str, set[str]] = field(default_factory=dict)  # copy links, both ways
    container: dict[str, tuple[str, float]] = field(default_factory=dict)  # preview → (text, Jaccard)
    cluster_of: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Membership:
    """Where a record belongs: its cluster, whether it is the canonical copy, the other copies."""

    cluster: str
    canonical: bool
    others: tuple[str, ...]


class _Roots:
    """Union-find over record names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        parent = self.parent.setdefault(name, name)
        while parent != self.parent.setdefault(parent, parent):
            self.parent[name] = parent = self.parent[parent]
        return parent

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def remove_records(state: ClusterState, names: Iterable[str]) -> set[str]:
    """Drop records; the other members of their clusters must be linked again (returned)."""
    gone = {n for n in names if n in state.sketches}
    clusters = {state.cluster_of.get(n) for n in gone} - {None}
    requeue = {n for n, c in state.cluster_of.items() if c in clusters} - gone
    for name in gone | requeue:
        _unlink(state, name)
    for name in gone:
        del state.sketches[name]
        state.cluster_of.pop(name, None)
    state.order = [n for n in state.order if n not in gone]
    return requeue


def _unlink(state: ClusterState, name: str) -> None:
    for other in state.copies.pop(name, set()):
        state.copies.get(other, set()).discard(name)
    state.container.pop(name, None)
    for preview in [p for p, (text, _) in state.container.items() if text == name]:
        del state.container[preview]


def add_records(
    state: ClusterState,
    sketches: Mapping[str, Sketch | None],
    requeue: Iterable[str] = (),
    settings: NearDupeSettings = DEFAULTS,
) -> int:
    """Add records (joining in name order) and link them, and `requeue`, to the corpus.

    Returns the number of pairs compared.
    """
    for name in sorted(sketches):
        if name not in state.sketches:
            state.order.append(name)
        state.sketches[name] = sketches[name]
    pending = set(sketches) | set(requeue)
    roots = _Roots()
    for name, others in state.copies.items():
        for other in others:
            roots.union(name, other)
    position = {name: i for i, name in enumerate(state.order)}
    candidates = _candidates(state, pending, position)
    compared = 0
    for name in sorted(candidates, key=position.__getitem__):
        seen: set[str] = set()
        for other in sorted(candidates[name], key=position.__getitem__):
            root = roots.find(other)
            if root == roots.find(name) or root in seen:
                continue
            compared += 1
            kind, match = link_kind(state.sketches[name], state.sketches[other], settings)
            if kind == "copy":
                state.copies.setdefault(name, set()).add(other)
                state.copies.setdefault(other, set()).add(name)
                roots.union(name, other)
            else:
                seen.add(root)
                if kind == "preview":
                    _offer_container(state, name, other, match.jaccard)
    return compared


def _offer_container(state: ClusterState, a: str, b: str, jaccard: float) -> None:
    """Make the longer of two records the shorter's container if it is the closest one yet."""
    sa, sb = state.sketches[a], state.sketches[b]
    preview, text = (a, b) if sa.shingles <= sb.shingles else (b, a)
    current = state.container.get(preview)
    if current is None or (-jaccard, text) < (-current[1], current[0]):
        state.container[preview] = (text, jaccard)


def _candidates(state: ClusterState, pending: set[str], position: dict[str, int]) -> dict[str, set[str]]:
    """For each pending record, the records sharing an LSH band key with it that it must be
    compared with: every settled record, and pending ones that joined before it."""
    names = [n for n in state.order if state.sketches.get(n) is not None]
    if not pending or len(names) < 2:
        return {}
    bands = np.stack([state.sketches[n].bands for n in names]).astype(np.uint64)
    keys = (bands | (np.arange(bands.shape[1], dtype=np.uint64) << np.uint64(32))).ravel()
    owners = np.repeat(np.arange(len(names)), bands.shape[1])
    by_key = np.argsort(keys, kind="stable")
    keys, owners = keys[by_key], owners[by_key]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
    found: dict[str, set[str]] = {}
    for start, end in zip(starts[:-1], starts[1:], strict=True):
        if end - start < 2:
            continue
        group = {names[i] for i in owners[start:end]}
        for name in group & pending:
            earlier = {o for o in group if o not in pending or position[o] < position[name]}
            found.setdefault(name, set()).update(earlier - {name})
    return {name: others for name, others in found.items() if others}


def name_clusters(state: ClusterState) -> dict[str, Membership]:
    """Each record's cluster, canonical flag and other copies; remembers the clusters' ids."""
    roots = _Roots()
    for name in state.order:
        roots.find(name)
    for name, others in state.copies.items():
        for other in others:
            roots.union(name, other)
    for preview, (text, _) in state.container.items():
        roots.union(preview, text)
    groups: dict[str, list[str]] = {}
    for name in state.order:  # members in joining order, groups by their first member
        groups.setdefault(roots.find(name), []).append(name)
    taken: set[str] = set()
    result: dict[str, Membership] = {}
    for members in groups.values():
        old = [state.cluster_of[m] for m in members if state.cluster_of.get(m) not in (None, *taken)]
        ident = old[0] if old else cluster_id(members[0])
        while ident in taken:
            ident = cluster_id(ident)
        taken.add(ident)
        best = choose_canonical((m, state.sketches.get(m)) for m in members)
        for member in members:
            state.cluster_of[member] = ident
            others = tuple(m for m in members if m != member)
            result[member] = Membership(ident, member == best, others)
    return result
