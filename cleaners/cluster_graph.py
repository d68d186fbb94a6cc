"""Clusters of copies over a growing corpus: link the records a run adds, then name the clusters.

The state is plain data a flow can store: the records in the order they joined, their sketches
(`cleaners.near_dupes`), the copy links between them, each preview's one container, and the
cluster each record was in. A run adds records and removes others; only the records it adds,
and the remaining members of clusters that lost one, are compared with the corpus (through the
LSH band keys), never the corpus with itself. Clusters keep their id for their life: a merged
cluster keeps the id of the member that joined first, a new one is named after its founder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, repeat

from cleaners.band_index import BandIndex, shared_keys
from cleaners.near_dupes import (
    DEFAULTS,
    NearDupeSettings,
    Sketch,
    choose_canonical,
    cluster_id,
    link_kind,
    shared_prints,
)

_NO_REPS: dict[str, str] = {}  # what a key no record is filed under holds (never changed)


@dataclass
class ClusterState:
    """Records (by name) in joining order, with what links them and the clusters last named."""

    order: list[str] = field(default_factory=list)
    sketches: dict[str, Sketch | None] = field(default_factory=dict)
    copies: dict[str, set[str]] = field(default_factory=dict)  # copy links, both ways
    container: dict[str, tuple[str, float]] = field(default_factory=dict)  # preview → (text, Jaccard)
    cluster_of: dict[str, str] = field(default_factory=dict)
    bands: BandIndex = field(default_factory=BandIndex, compare=False, repr=False)  # kept up to date


@dataclass(frozen=True)
class Membership:
    """Where a record belongs: its cluster, whether it is the canonical copy, all its members."""

    name: str
    cluster: str
    canonical: bool
    members: tuple[str, ...]  # shared by the cluster's memberships, in joining order

    @property
    def others(self) -> tuple[str, ...]:
        """The cluster's other records."""
        return tuple(m for m in self.members if m != self.name)


class _Roots:
    """Union-find over record names."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        parent, root = self.parent, name
        while (up := parent.get(root, root)) != root:
            root = up
        while name != root:  # path compression
            parent[name], name = root, parent[name]
        return root

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

    A pending record is compared with the records sharing LSH band keys with it (at least
    `settings.min_bands` of the whole body's, or any when one of the two is truncated): every
    settled record, and pending ones that joined before it; of records already known to be
    copies of each other, with one only. Returns the number of pairs compared.
    """
    for name in sorted(sketches):
        if name not in state.sketches:
            state.order.append(name)
        elif state.sketches[name] is not sketches[name]:
            state.bands = BandIndex()  # a record sketched anew: its keys are not the indexed ones
        state.sketches[name] = sketches[name]
    pending = set(sketches) | set(requeue)
    if not pending:
        return 0
    roots = _Roots()
    for name, others in state.copies.items():
        for other in others:
            roots.union(name, other)
    position = {name: i for i, name in enumerate(state.order)}
    sketched = [n for n in state.order if state.sketches.get(n) is not None]
    state.bands = state.bands.extended(sketched, state.sketches)
    reps, keys_of = shared_keys(state.bands, state.sketches, pending, roots.find, settings.bands)
    cut = {name for name, sketch in state.sketches.items() if sketch is not None and sketch.truncated}
    cut_reps = _truncated_only(reps, cut)
    compared = 0
    for name in sorted(keys_of, key=position.__getitem__):
        sketch = state.sketches[name]
        mine = roots.find(name)
        candidates = _candidates(keys_of[name], sketch.truncated, reps, cut_reps, cut, settings)
        others = _first_of_each_group(candidates, roots)
        others.pop(mine, None)
        shared = shared_prints(sketch, [state.sketches[other] for other in others.values()])
        for other, in_common in zip(others.values(), shared, strict=True):
            compared += 1
            kind, match = link_kind(sketch, state.sketches[other], settings, in_common)
            if kind == "copy":
                state.copies.setdefault(name, set()).add(other)
                state.copies.setdefault(other, set()).add(name)
                roots.union(name, other)
                mine = roots.find(name)
            elif kind == "preview":
                _offer_container(state, name, other, match.jaccard)
        for key in chain(*keys_of[name]):
            group = reps.setdefault(key, {})
            if mine not in group:  # a root merged away since only costs one extra member here
                group[mine] = name
                if sketch.truncated:
                    cut_reps.setdefault(key, {})[mine] = name
    return compared


def _first_of_each_group(candidates: list[str], roots: _Roots) -> dict[str, str]:
    """The first candidate of each group of copies, by the group's root, in candidate order.

    Only these can be compared: a later member of a group was either compared with already
    (the first was no copy, and groups that are no copies of this record do not merge while
    it is linked) or is in this record's own group by then (the first was a copy).
    """
    first: dict[str, str] = {}
    parent = roots.parent
    for other in candidates:
        root = parent.get(other, other)
        if parent.get(root, root) != root:  # not a root's child: walk up (and compress)
            root = roots.find(other)
        if root not in first:
            first[root] = other
    return first


def _candidates(
    keys: tuple[list[int], list[int]],
    truncated: bool,
    reps: Mapping[int, Mapping[str, str]],
    cut_reps: Mapping[int, Mapping[str, str]],
    cut: set[str],
    settings: NearDupeSettings,
) -> list[str]:
    """The records to compare a pending record with, in the order its band keys find them.

    Through whole-body keys (`keys[0]`): those sharing `settings.min_bands` of them, or any when
    one of the two is truncated (`cut` holds the truncated records). Through head keys
    (`keys[1]`), which say nothing of two whole bodies: only previews, so every record when this
    one is `truncated`, else the truncated ones (`cut_reps`).
    """
    whole_keys, head_keys = keys
    whole = Counter(_filed_under(reps, whole_keys))
    least = 0 if truncated else settings.min_bands
    wanted = {other: None for other, shared in whole.items() if shared >= least or other in cut}
    wanted.update(dict.fromkeys(_filed_under(reps if truncated else cut_reps, head_keys)))
    return list(wanted)


def _filed_under(reps: Mapping[int, dict[str, str]], keys: list[int]) -> Iterator[str]:
    """The representatives filed under each of `keys` in turn (a record once per key it holds)."""
    return chain.from_iterable(map(dict.values, map(reps.get, keys, repeat(_NO_REPS))))


def _truncated_only(reps: Mapping[int, Mapping[str, str]], cut: set[str]) -> dict[int, dict[str, str]]:
    """The representatives that are truncated records, per key (keys with none left out)."""
    if not cut:
        return {}
    found = {key: {root: m for root, m in group.items() if m in cut} for key, group in reps.items()}
    return {key: group for key, group in found.items() if group}


def _offer_container(state: ClusterState, a: str, b: str, jaccard: float) -> None:
    """Make the longer of two records the shorter's container if it is the closest one yet."""
    sa, sb = state.sketches[a], state.sketches[b]
    preview, text = (a, b) if sa.shingles <= sb.shingles else (b, a)
    current = state.container.get(preview)
    if current is None or (-jaccard, text) < (-current[1], current[0]):
        state.container[preview] = (text, jaccard)


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
        if len(members) == 1 and state.cluster_of.get(members[0]) not in taken:  # most records
            name = members[0]
            ident = state.cluster_of.get(name) or cluster_id(name)
            if ident not in taken:
                taken.add(ident)
                state.cluster_of[name] = ident
                result[name] = Membership(name, ident, True, (name,))
                continue
        old = (state.cluster_of.get(m) for m in members)
        ident = next((c for c in old if c is not None and c not in taken), None) or cluster_id(members[0])
        while ident in taken:
            ident = cluster_id(ident)
        taken.add(ident)
        best = choose_canonical((m, state.sketches.get(m)) for m in members)
        shared = tuple(members)
        for member in members:
            state.cluster_of[member] = ident
            result[member] = Membership(member, ident, member == best, shared)
    return result
