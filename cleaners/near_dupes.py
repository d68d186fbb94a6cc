"""Near-duplicate speeches: a small sketch of each record's body, and when two sketches are one speech.

A speech is reposted on many sites: re-punctuated, re-wrapped, with a line of chrome left in, a
sentence edited, or cut off as a paywalled preview. Copies are compared on the canonical body
(headings and paragraphs, ideographs, letters and digits only; full-width letters and digits
folded, letters lower-cased), so punctuation, spacing and line wrapping never count. The body's
character shingles (`shingle` characters each) give two kinds of evidence, both kept small:

- MinHash signatures (rensa's `RMinHash`, in Rust) of the whole body and of its head (the first
  `head_chars` characters), cut into LSH bands. Two records that share a band are candidates: the
  whole-body bands find copies, the head bands find a preview and the longer copy it starts.
- Fingerprints: the shingle hashes whose low bits are zero (one in `sample` or fewer, so every
  record keeps about `target_samples` of them). The same shingle is kept or dropped in every
  record, so two records compared at the sparser record's rate give an unbiased estimate of
  both Jaccard similarity and containment.

Two candidates are one speech when their Jaccard similarity reaches `jaccard`, or when the
shorter is marked truncated and at least `containment` of it lies in the longer (a preview).
A complete text inside a longer one is not a copy of it (a compilation, or a report quoting a
speech), and a preview joins only the closest text it is part of, so a preview of one speech of
a compilation never ties the compilation to that speech. Each cluster's canonical member is
chosen by `quality_key`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from cleaners.sketch_hashes import band_keys, canonical_codes, minhash_signatures, shingle_hashes

_FIRST = np.ones(1, dtype=bool)  # a sorted array's first value is never a repeat


@dataclass(frozen=True)
class NearDupeSettings:
    """How copies are found. Defaults were chosen from measurements (benchmarks/near_dupes.py,
    tests/cleaners/test_near_dupes.py):

    shingle: characters per shingle. 5 keeps two different speeches on one subject (shared
        phrases and quotations) under 0.05 Jaccard, while one edited sentence in a 1,000-
        character speech changes only about 3% of the shingles; 3 lets set phrases
        (坚持以人民为中心) make unrelated speeches look alike, 8 makes one edit cost more.
    num_perm, bands: MinHash permutations and LSH bands (rows = num_perm / bands = 4).
    min_bands: whole-body bands two complete records must share to be compared: a pair at
        Jaccard 0.6 shares two or more with probability 0.93, at 0.7 0.999, at 0.8 1.0 (copies
        measured 0.8 to 1.0); at 0.45 0.38 (one band: 0.74). It cut the comparisons on the
        throughput corpus's near-threshold variants by a fifth. A truncated record is compared
        on any shared band, of the head too. Candidates are then checked on fingerprints.
    head_chars: the head window whose bands pair a preview with the longer copy it starts.
    jaccard: copies at or above this Jaccard similarity are one speech. Reposts with chrome,
        re-punctuation and a few edited sentences measured 0.8 to 1.0; different speeches on
        one subject, and government reports of different years, under 0.06.
    containment: a truncated record with at least this share of its fingerprints in a longer
        one is a preview of it (previews measured 0.95 to 1.0; a resolution quoting the report
        it approves, 0.43).
    min_samples: fewer shared-rate fingerprints than this in the shorter record are too few to
        call it contained in another.
    target_samples, sample: fingerprints kept per record (about), and the sparsest rate.
    """

    shingle: int = 5
    num_perm: int = 128
    bands: int = 32
    min_bands: int = 2
    head_chars: int = 200
    jaccard: float = 0.6
    containment: float = 0.8
    min_samples: int = 8
    target_samples: int = 128
    sample: int = 16
    seed: int = 17


DEFAULTS = NearDupeSettings()


@dataclass(frozen=True)
class Sketch:
    """What clustering keeps of one record: LSH band keys, fingerprints and the quality facts.

    `bands` holds the whole body's band keys then the head's (uint32 each); `fingerprints` are
    sorted, unique uint32 shingle hashes sampled at one in `rate`.
    """

    bands: np.ndarray
    fingerprints: np.ndarray
    rate: int
    shingles: int
    truncated: bool
    dated: bool
    removed: int
    chars: int

    @cached_property
    def thinned_counts(self) -> dict[int, int]:
        """How many fingerprints are left at sparser rates, counted when first needed."""
        return {}

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled with its arrays as raw bytes. Every record's sketch travels from a worker to
        the run in a pickled summary, and numpy's own pickling costs about 10 us an array on
        each side: a sketch's round trip went from 38 to 12 us."""
        facts = (self.rate, self.shingles, self.truncated, self.dated, self.removed, self.chars)
        return _unpickle_sketch, (self.bands.tobytes(), self.fingerprints.tobytes(), *facts)

    def count_at(self, rate: int) -> int:
        """How many of the fingerprints one in `rate` keeps (all of them at the sketch's own rate)."""
        if rate <= self.rate:
            return len(self.fingerprints)
        count = self.thinned_counts.get(rate)
        if count is None:
            kept = (self.fingerprints & np.uint32(rate - 1)) == 0
            count = self.thinned_counts[rate] = int(np.count_nonzero(kept))
        return count


def _unpickle_sketch(bands: bytes, fingerprints: bytes, *facts: Any) -> Sketch:
    return Sketch(np.frombuffer(bands, dtype=np.uint32), np.frombuffer(fingerprints, dtype=np.uint32), *facts)


class Match(NamedTuple):
    """How much two records overlap, estimated on their fingerprints (a tuple: tens of
    thousands are made when a large corpus is clustered)."""

    jaccard: float
    containment: float  # of the shorter record in the longer
    samples: int  # fingerprints of the shorter record at the shared rate


def body_text(record: Mapping[str, Any]) -> str:
    """A record's headings and paragraphs in reading order, one a line."""
    lines: list[str] = []
    for section in record["sections"]:
        if section["heading"]:
            lines.append(section["heading"])
        lines.extend(section["paragraphs"])
    return "\n".join(lines)


def sample_rate(shingles: int, settings: NearDupeSettings = DEFAULTS) -> int:
    """One fingerprint in `rate` shingles: a power of two, so rates nest (what 1 in 16 keeps,
    1 in 4 keeps too), up to `settings.sample`.

    >>> sample_rate(100), sample_rate(1000), sample_rate(50_000)
    (1, 4, 16)
    """
    rate = 1
    while rate < settings.sample and shingles // (rate * 2) >= settings.target_samples:
        rate *= 2
    return rate


def sketch_text(
    text: str,
    *,
    truncated: bool = False,
    dated: bool = False,
    removed: int = 0,
    settings: NearDupeSettings = DEFAULTS,
) -> Sketch | None:
    """The sketch of a body, or None when it holds no ideograph, letter or digit."""
    codes = canonical_codes(text)
    if not len(codes):
        return None
    hashes = shingle_hashes(codes, settings.shingle)
    head = max(1, settings.head_chars - settings.shingle + 1)
    both = minhash_signatures(hashes, head, settings.num_perm, settings.seed)
    rate = sample_rate(len(hashes), settings)
    bands = band_keys(both, 2 * settings.bands)
    return Sketch(bands, fingerprints(hashes, rate), rate, len(hashes), truncated, dated, removed, len(codes))


def fingerprints(hashes: np.ndarray, rate: int) -> np.ndarray:
    """The low 32 bits of the shingle hashes whose low bits are zero at one in `rate`, sorted, unique."""
    if rate > 1:
        hashes = hashes[(hashes & np.uint64(rate - 1)) == 0]
    low = hashes.astype(np.uint32)  # a new array, sorted in place
    low.sort()
    return low[np.concatenate((_FIRST, low[1:] != low[:-1]))] if len(low) > 1 else low


def sketch_record(record: Mapping[str, Any], settings: NearDupeSettings = DEFAULTS) -> Sketch | None:
    """The sketch of a speech record (see `sketch_text`)."""
    return sketch_text(
        body_text(record),
        truncated=bool(record.get("truncated")),
        dated=record.get("date") is not None,
        removed=sum(r["reason"] != "header_line" for r in record.get("removed") or ()),  # read, not junk
        settings=settings,
    )


def compare(a: Sketch, b: Sketch, shared: int | None = None) -> Match:
    """Jaccard similarity and containment of the shorter in the longer, at the sparser rate;
    `shared` is `shared_prints(a, [b])[0]` when the caller has it already."""
    if a.shingles > b.shingles:
        a, b = b, a
    if shared is None:
        (shared,) = shared_prints(a, [b])
    rate = max(a.rate, b.rate)
    in_a, in_b = a.count_at(rate), b.count_at(rate)
    union = in_a + in_b - shared
    return Match(shared / union if union else 1.0, shared / in_a if in_a else 0.0, in_a)


def shared_prints(sketch: Sketch, others: Sequence[Sketch]) -> list[int]:
    """How many fingerprints each of `others` shares with `sketch`, in one pass over all of them.

    Two records' fingerprints at the sparser of their rates share exactly what their own
    fingerprints share: a fingerprint both keep passes both rates' tests, and rates nest.
    """
    mine = sketch.fingerprints
    if not others or not len(mine):
        return [0] * len(others)
    prints = [other.fingerprints for other in others]
    theirs = np.concatenate(prints)
    found = mine[np.minimum(np.searchsorted(mine, theirs), len(mine) - 1)] == theirs
    found_before = np.concatenate(([0], np.cumsum(found)))
    bounds = np.concatenate(([0], np.cumsum([len(p) for p in prints])))
    return (found_before[bounds[1:]] - found_before[bounds[:-1]]).tolist()


def link_kind(
    a: Sketch, b: Sketch, settings: NearDupeSettings = DEFAULTS, shared: int | None = None
) -> tuple[str | None, Match]:
    """`copy` when two records are one speech, `preview` when the shorter, truncated one is part
    of the longer, None when they are different speeches; with the overlap it was judged on
    (`shared` as for `compare`)."""
    match = compare(a, b, shared)
    if match.jaccard >= settings.jaccard:
        return "copy", match
    shorter = a if a.shingles <= b.shingles else b
    contained = match.samples >= settings.min_samples and match.containment >= settings.containment
    return ("preview" if shorter.truncated and contained else None), match


def quality_key(name: str, sketch: Sketch | None) -> tuple:
    """Sort key of a cluster's members, best first: complete over truncated, a stated date,
    fewer removed lines, a longer body; then the record's name, so ties always fall one way."""
    if sketch is None:
        return (True, True, 1 << 30, 0, name)
    return (sketch.truncated, not sketch.dated, sketch.removed, -sketch.chars, name)


def choose_canonical(members: Iterable[tuple[str, Sketch | None]]) -> str:
    """The name of the best member (see `quality_key`)."""
    return min(members, key=lambda item: quality_key(*item))[0]


def cluster_id(founder: str) -> str:
    """A cluster's id: a short hash of the record that founded it, kept for the cluster's life.

    >>> cluster_id("a/b.txt.1.yaml") == cluster_id("a/b.txt.1.yaml") != cluster_id("a/c.txt.1.yaml")
    True
    """
    return "c" + hashlib.sha256(founder.encode()).hexdigest()[:15]
