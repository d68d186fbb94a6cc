"""Learn a site's boilerplate from the corpus: short lines that recur across its documents.

A footer like `本站资料来自网友投稿` that no rule names still repeats on every page of its site.
`SiteMemory` counts, per site, in how many distinct documents each short normalised line occurs;
lines seen in enough of them become `learned` keys for `strip_boilerplate`, removed as
`repeated_across_site`. A document is identified by a hash of its long lines (the speech body),
so one speech copied many times counts once; salutations, outline headings and title-shaped lines
(the `keep` and `speech_titles` rules) are never counted. The parts of a page's `<title>` after its
first are counted the same way, as marked keys: a column or site name that ends most of a site's
titles (`_新闻频道_某某网`) is learned and cut from its titles by the structure stage.
Memory is bounded: only lines up to `max_line_chars` count, and at most `max_lines_per_site`
distinct lines and `max_docs_per_site` document hashes are kept per site.
What a document shows (`observe_document`, pure, run wherever the document is cleaned) is kept
apart from counting it (`SiteMemory.count`), so a run can observe in workers and count in order.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field

from cleaners.boilerplate import BoilerplateRules, ScannedLine, scan_lines
from cleaners.document import Extracted, Line
from cleaners.titles import title_suffix_keys

FORMAT_VERSION = 1
MAX_LINE_CHARS = 60  # longer lines are speech body, never learned


def site_key(rel_path: str, extracted: Extracted) -> str:
    """Which site an input belongs to: its site name (meta or `<title>` suffix), else its folder.

    >>> site_key("a/x.html", Extracted(lines=(), meta={"site": "某某网"}))
    'site:某某网'
    >>> site_key("a/b/x.txt", Extracted(lines=()))
    'dir:a/b'
    """
    site = (extracted.meta.get("site") or "").strip()
    if site:
        return f"site:{site}"
    folder = posixpath.dirname(rel_path.replace("\\", "/"))
    return f"dir:{folder or '.'}"


@dataclass(frozen=True)
class Observation:
    """What one document shows of its site: a hash that tells copies of it apart from other
    documents, and its distinct short lines that may be learned (`keys`, normalised, sorted so
    that counting them never depends on set order)."""

    site: str
    digest: str
    keys: tuple[str, ...]


def observe_document(
    site: str,
    lines: Sequence[Line],
    max_line_chars: int = MAX_LINE_CHARS,
    rules: BoilerplateRules | None = None,
    page_title: str | None = None,
) -> Observation:
    """What a document shows of its site: its lines scanned with `rules` (default the shipped
    ones), see `observe_scanned`."""
    return observe_scanned(site, scan_lines(lines, rules), max_line_chars, page_title)


def observe_scanned(
    site: str,
    scanned: Sequence[ScannedLine],
    max_line_chars: int = MAX_LINE_CHARS,
    page_title: str | None = None,
) -> Observation:
    """Keep a document's short lines that are not salutations, outline headings or title-shaped,
    and hash the long ones, by their normalised keys. The parts of the page title after its
    first (`_栏目_站名`) are kept too, marked as title suffixes."""
    learnable = {s.key for s in scanned if s.key and not s.kept and not s.title_shaped}
    short = sorted(key for key in learnable if len(key) <= max_line_chars)
    digest = document_hash([s.key for s in scanned if len(s.key) > max_line_chars] or short)
    return Observation(site, digest, tuple(sorted({*short, *title_suffix_keys(page_title)})))


@dataclass
class SiteCounts:
    """One site: its distinct document hashes and, per normalised short line, a document count."""

    docs: int = 0
    hashes: set[str] = field(default_factory=set)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class SiteMemory:
    """Per site, in how many distinct documents each normalised short line occurs."""

    max_line_chars: int = MAX_LINE_CHARS
    max_lines_per_site: int = 20_000
    max_docs_per_site: int = 200_000
    sites: dict[str, SiteCounts] = field(default_factory=dict)

    def observe(self, site: str, lines: Sequence[Line], page_title: str | None = None) -> None:
        """Count each distinct short line of one document once; a repeated document is skipped."""
        self.count(observe_document(site, lines, self.max_line_chars, page_title=page_title))

    def count(self, seen: Observation) -> None:
        """Add one observed document (made with this memory's `max_line_chars`), unless a copy
        of it was counted before."""
        counts = self.sites.setdefault(seen.site, SiteCounts())
        if seen.digest in counts.hashes:
            return
        if len(counts.hashes) < self.max_docs_per_site:
            counts.hashes.add(seen.digest)
        counts.docs += 1
        for key in seen.keys:
            counts.lines[key] = counts.lines.get(key, 0) + 1
        if len(counts.lines) > self.max_lines_per_site:
            prune_counts(counts.lines, self.max_lines_per_site)

    def learned(self, site: str, min_docs: int = 3, min_share: float = 0.5) -> frozenset[str]:
        """Lines seen in at least `min_docs` documents and `min_share` of the site's documents."""
        counts = self.sites.get(site)
        if counts is None or counts.docs == 0:
            return frozenset()
        return frozenset(
            key for key, n in counts.lines.items() if n >= min_docs and n / counts.docs >= min_share
        )

    def to_dict(self) -> dict:
        """A JSON-safe dict, for persisting the memory between runs."""
        return {
            "version": FORMAT_VERSION,
            "max_line_chars": self.max_line_chars,
            "max_lines_per_site": self.max_lines_per_site,
            "max_docs_per_site": self.max_docs_per_site,
            "sites": {
                site: {"docs": c.docs, "hashes": sorted(c.hashes), "lines": dict(c.lines)}
                for site, c in self.sites.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict) -> SiteMemory:
        """Rebuild a memory saved by `to_dict` (an unknown format version starts empty)."""
        if data.get("version") != FORMAT_VERSION:
            return cls()
        sites = {
            site: SiteCounts(docs=int(c["docs"]), hashes=set(c["hashes"]), lines=dict(c["lines"]))
            for site, c in data.get("sites", {}).items()
        }
        return cls(
            max_line_chars=int(data["max_line_chars"]),
            max_lines_per_site=int(data["max_lines_per_site"]),
            max_docs_per_site=int(data["max_docs_per_site"]),
            sites=sites,
        )


def document_hash(keys: Sequence[str]) -> str:
    """A short stable hash of a document's normalised lines."""
    return hashlib.blake2b("\n".join(keys).encode("utf-8"), digest_size=8).hexdigest()


def prune_counts(lines: dict[str, int], limit: int) -> None:
    """Drop the least frequent lines until at most `limit` remain (lines seen once go first)."""
    keep = sorted(lines.items(), key=lambda item: item[1], reverse=True)[: limit // 2]
    lines.clear()
    lines.update(keep)
