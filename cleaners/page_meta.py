"""Page-level hints from an HTML head: the `<title>`, and the date, site name and description
that `<meta>` tags carry. The site name falls back to the title's suffix (`讲话_某某文库`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cleaners.chars import FULLWIDTH_PUNCT, collapse_whitespace
from cleaners.html_tree import Node

# <meta> names (lower case) that carry the publication date or the site name.
DATE_META = frozenset((
    "article:published_time", "og:article:published_time", "publishdate", "pubdate", "publish_date",
    "publishtime", "firstpublishedtime", "datepublished", "dc.date", "dc.date.issued", "date",
    "og:release_date", "created",
))
SITE_META = frozenset(("og:site_name", "sitename", "site_name", "application-name"))
DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|^(\d{4})(\d{2})(\d{2})")
TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|-|—|–)\s*")


def read_page_meta(title_text: str | None, metas: Iterable[Node]) -> tuple[str | None, dict[str, str]]:
    """The page title and the hints from `<meta>` tags: `date` (YYYY-MM-DD), `site`, `description`."""
    title = collapse_whitespace(title_text) if title_text is not None else ""
    meta: dict[str, str] = {}
    for tag in metas:
        name = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = collapse_whitespace(str(tag.get("content") or ""))
        if not content:
            continue
        if name in DATE_META and "date" not in meta and (date := normalize_date(content)):
            meta["date"] = date
        elif name in SITE_META:
            meta.setdefault("site", content)
        elif name == "description":
            meta.setdefault("description", content)
    if "site" not in meta and (site := site_from_title(title)):
        meta["site"] = site
    return title or None, meta


def normalize_date(text: str) -> str | None:
    """A date as YYYY-MM-DD, or None.

    >>> normalize_date("2026-01-30T08:00:00+08:00"), normalize_date("2026年1月3日"), normalize_date("x")
    ('2026-01-30', '2026-01-03', None)
    """
    match = DATE.search(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups() if g)
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def site_from_title(title: str) -> str | None:
    """The `<title>` suffix after `_`, `-` or `|` when it looks like a site name (short, no sentence).

    >>> site_from_title("在全县大会上的讲话_某某文库"), site_from_title("讲话稿")
    ('某某文库', None)
    """
    parts = [p for p in TITLE_SEPARATOR.split(title) if p]
    if len(parts) < 2:
        return None
    suffix = parts[-1]
    looks_like_name = 2 <= len(suffix) <= 16 and not FULLWIDTH_PUNCT.search(suffix) and not suffix.isdigit()
    return suffix if looks_like_name else None
