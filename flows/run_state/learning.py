"""Learn each site's boilerplate while cleaning, and re-clean only the inputs that learning changes.

Site learning needs the whole run's documents before any of them can be cleaned with it, which
used to mean reading, decoding and extracting every input twice. Instead the run cleans in
waves: a first batch with what earlier runs learned, the rest with what that batch added. Every
cleaned input reports its site's learnable lines (`Observation`), which go into the memory in
input order, so the result never depends on which batch finished first. At the end, an input
is cleaned again only when one of its own lines changed sides, learned now but not when it was
cleaned, or the other way round. The records are then exactly those a two-pass run would write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from cleaners.site_memory import Observation, SiteMemory

Learned = Mapping[str, frozenset[str]]  # site → its learned lines

# The first wave is a sample to learn from: large enough that what it teaches spares most of the
# rest a re-clean, small enough that the rest starts soon. It is one batch, so no larger than one.
FIRST_WAVE = 256


def learning_waves(todo: list[str], batch_size: int) -> Iterator[list[str]]:
    """The inputs to clean, in the waves a run cleans them: one batch of at most `FIRST_WAVE`
    inputs, then the rest."""
    first = max(1, min(batch_size, FIRST_WAVE))
    for wave in (todo[:first], todo[first:]):
        if wave:
            yield wave


def line_hash(key: str) -> bytes:
    """Eight bytes for a line: enough to tell which lines an input has, at a fraction of their size."""
    return hashlib.blake2b(key.encode(), digest_size=8).digest()


def has_any(hashes: bytes, wanted: set[bytes]) -> bool:
    """True when one of the 8-byte hashes packed in `hashes` is in `wanted`."""
    return any(hashes[i : i + 8] in wanted for i in range(0, len(hashes), 8))


@dataclass
class SiteLedger:
    """The run's site memory, and for every cleaned input the learned lines it was cleaned with."""

    memory: SiteMemory
    snapshots: list[dict[str, frozenset[str]]] = field(default_factory=list)
    inputs: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)  # snapshot, site, lines

    def snapshot(self) -> dict[str, frozenset[str]]:
        """What the memory has learned so far, for the next wave to clean with."""
        learned = self.learned(self.memory.sites)
        self.snapshots.append({site: lines for site, lines in learned.items() if lines})
        return self.snapshots[-1]

    def absorb(self, observed: Mapping[str, Observation]) -> None:
        """Count what a batch's inputs showed; they were cleaned with the latest snapshot."""
        for rel_path in sorted(observed):
            seen = observed[rel_path]
            self.memory.count(seen)
            hashes = b"".join(map(line_hash, seen.keys))
            self.inputs[rel_path] = (len(self.snapshots) - 1, seen.site, hashes)

    def learned(self, sites: Iterable[str]) -> dict[str, frozenset[str]]:
        """What the memory has learned for these sites now."""
        return {site: self.memory.learned(site) for site in sites}

    def cleaned_with_other_lines(self, final: Learned) -> list[str]:
        """Inputs with a line that `final` treats otherwise than the snapshot they were cleaned with."""
        changed: dict[tuple[int, str], set[bytes]] = {}
        stale = []
        for rel_path, (shot, site, hashes) in self.inputs.items():
            key = (shot, site)
            if key not in changed:
                differ = self.snapshots[shot].get(site, frozenset()) ^ final.get(site, frozenset())
                changed[key] = set(map(line_hash, differ))
            if changed[key] and has_any(hashes, changed[key]):
                stale.append(rel_path)
        return sorted(stale)
