"""Which records share LSH band keys: the candidates `cleaners.cluster_graph` compares.

Every record's band keys (`cleaners.near_dupes.Sketch.bands`) sit in one sorted array, the
`BandIndex`, kept from one linking to the next: a run links its records a batch at a time, and
each batch only sorts its own keys into the index and looks up the keys it holds, in a few numpy
passes. Re-sorting the whole corpus's keys for every batch made linking a batch cost in
proportion to the corpus (16 ms for the first of 30 batches of 1,024 synthetic speeches, 270 ms
for the last).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from cleaners.near_dupes import Sketch

_OWNER_BITS = 26
_OWNER_MASK = np.uint64((1 << _OWNER_BITS) - 1)


@dataclass(frozen=True)
class BandIndex:
    """Every (band key, record) pair of `names` (sketched records in joining order), sorted.

    An entry packs the band number (6 bits) and key (32 bits) above the record's number in
    `names` (26 bits: up to 67 million records), so sorting groups equal keys, their records in
    joining order.
    """

    names: tuple[str, ...] = ()
    entries: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    def extended(self, names: Sequence[str], sketches: Mapping[str, Sketch]) -> BandIndex:
        """The index of `names`, from this one when `names` only adds records after its own."""
        known = len(self.names)
        if tuple(names[:known]) != self.names:
            return BandIndex().extended(names, sketches)
        if known == len(names):
            return self
        added = _packed(sketches, names[known:], first=known)
        if not known:
            return BandIndex(tuple(names), added)
        merged = np.insert(self.entries, np.searchsorted(self.entries, added), added)
        return BandIndex(tuple(names), merged)

    def holders(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The entries of the `keys` (unique, ascending) that two records or more hold: their keys
        and the records' numbers, in index order."""
        low = np.searchsorted(self.entries, keys << np.uint64(_OWNER_BITS))
        high = np.searchsorted(self.entries, (keys << np.uint64(_OWNER_BITS)) | _OWNER_MASK, side="right")
        counts = high - low
        low, counts = low[counts >= 2], counts[counts >= 2]
        offsets = np.cumsum(counts) - counts  # where each key's run starts in the result
        found = self.entries[np.arange(int(counts.sum())) + np.repeat(low - offsets, counts)]
        return found >> np.uint64(_OWNER_BITS), (found & _OWNER_MASK).astype(np.int64)


def shared_keys(
    index: BandIndex,
    sketches: Mapping[str, Sketch],
    pending: set[str],
    root_of: Callable[[str], str],
    bands: int,
) -> tuple[dict[int, dict[str, str]], dict[str, tuple[list[int], list[int]]]]:
    """The band keys that a pending record shares with another record of the `index`.

    Returns, for each such key, the first settled record (in joining order) of each group of
    copies holding it, filed under the group's root (`root_of`); and for each pending record
    its shared keys, the whole body's and the head's (`bands` whole-body bands), ascending.
    """
    names = index.names
    numbers = [i for i, name in enumerate(names) if name in pending] if pending else []
    if not numbers or len(names) < 2:
        return {}, {}
    wanted_keys = np.unique(_packed(sketches, [names[i] for i in numbers]) >> np.uint64(_OWNER_BITS))
    keys, owners = index.holders(wanted_keys)
    is_pending = np.zeros(len(names), dtype=bool)
    is_pending[numbers] = True
    mine = is_pending[owners]
    reps = _first_settled(keys[~mine], owners[~mine], names, root_of)
    is_head = (keys[mine] >> np.uint64(32)) >= bands
    part = owners[mine] * 2 + is_head  # each record's whole-body keys, then its head keys
    by_part = np.argsort(part, kind="stable")  # keys stay ascending within a part
    pending_keys = keys[mine][by_part].tolist()
    keys_of: dict[str, tuple[list[int], list[int]]] = {}
    for part_number, start, end in _runs(part[by_part]):
        keys_of.setdefault(names[part_number // 2], ([], []))[part_number % 2].extend(pending_keys[start:end])
    return reps, keys_of


def _first_settled(
    keys: np.ndarray, owners: np.ndarray, names: Sequence[str], root_of: Callable[[str], str]
) -> dict[int, dict[str, str]]:
    """Per key, the first holder (in joining order) of each group of copies: root → record."""
    holders = np.unique(owners)
    root_ids: dict[str, int] = {}  # each group of copies, by its union-find root, numbered
    group_of = np.array([root_ids.setdefault(root_of(names[i]), len(root_ids)) for i in holders.tolist()])
    group = group_of[np.searchsorted(holders, owners)] if len(owners) else owners
    key_number = np.concatenate(([0], np.cumsum(keys[1:] != keys[:-1]))) if len(keys) else owners
    _, first = np.unique(key_number * len(root_ids) + group, return_index=True)
    first = np.sort(first)  # the first member of each group of copies, per key, in index order
    root_names = list(root_ids)
    member_names = [names[i] for i in owners[first].tolist()]
    member_roots = [root_names[g] for g in group[first].tolist()]
    return {
        key: dict(zip(member_roots[start:end], member_names[start:end], strict=True))
        for key, start, end in _runs(keys[first])
    }


def _runs(values: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(value, start, end) of each run of equal values in a sorted array."""
    if not len(values):
        return
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1]))).tolist()
    yield from zip(values[starts].tolist(), starts, starts[1:] + [len(values)], strict=True)


def _packed(sketches: Mapping[str, Sketch], names: Sequence[str], first: int = 0) -> np.ndarray:
    """The sorted index entries of `names`, numbered from `first` on."""
    bands = np.stack([sketches[n].bands for n in names]).astype(np.uint64)
    packed = bands << np.uint64(_OWNER_BITS)
    packed |= np.arange(bands.shape[1], dtype=np.uint64) << np.uint64(32 + _OWNER_BITS)
    packed |= np.arange(first, first + len(names), dtype=np.uint64)[:, None]
    return np.sort(packed.ravel())
