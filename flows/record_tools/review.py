"""The review page: what the cleaner kept beside what it removed, one static HTML file.

`jianggao review CLEAN_DIR` reads the records (and the refusals of the last run's report) and
writes CLEAN_DIR/review.html: a count of removed lines per reason, the refused inputs, and per
input its speeches' kept text beside the removed lines, each tagged with its reason. Filters by
reason and site run in the page itself (no server); `review.html#reason=promo,share&site=X`
opens with them set. Every text from the records is escaped: it is untrusted text from the web.

The page is built by pure functions from records to HTML strings; only `write_review` reads
and writes files. Markup and styles live in `review_template.html` beside this module.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape
from pathlib import Path, PurePosixPath
from string import Template
from typing import Any

import yaml

from cleaners.document import Refusal
from cleaners.reasons import load_reasons
from cleaners.records import load_records
from flows.record_tools.record_files import valid_records
from flows.run_state.clusters import read_memberships
from flows.run_state.files import STATE_DIR, write_atomically
from flows.run_state.refusals import read_refusal

Record = Mapping[str, Any]


TEMPLATE = Path(__file__).with_name("review_template.html")
TOP_FOLDER = "(top folder)"


def reason_hue(reason: str) -> int:
    """The tag colour of a reason code: the registry's for its codes, stable for any other.

    >>> reason_hue("paywall_prompt"), reason_hue("new_code") == reason_hue("new_code")
    (0, True)
    """
    known = load_reasons().removals.get(reason)
    return known.hue if known else zlib.crc32(reason.encode()) % 360


def site_of(record: Record) -> str:
    """The site a record is filtered by: its `site`, else the folder its input came from.

    >>> site_of({"site": None, "source": {"path": "wenku/a.html"}}), site_of({"source": {"path": "a.txt"}})
    ('wenku', '(top folder)')
    """
    folder = PurePosixPath(record["source"]["path"]).parent.as_posix()
    return record.get("site") or (TOP_FOLDER if folder == "." else folder)


def group_by_input(records: Iterable[Record]) -> dict[str, list[Record]]:
    """Records grouped by input path (inputs in path order, speeches in input order)."""
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(record["source"]["path"], []).append(record)
    return {
        path: sorted(group, key=lambda r: r["source"].get("speech", 1))
        for path, group in sorted(groups.items())
    }


def tag(reason: str) -> str:
    """A coloured label for a reason code."""
    meaning = escape(load_reasons().meaning(reason))
    return f'<span class="tag" style="--hue:{reason_hue(reason)}" title="{meaning}">{escape(reason)}</span>'


def render_counts(records: Sequence[Record]) -> str:
    """The table of removed lines and inputs per reason, each row with its filter checkbox."""
    lines = Counter(r["reason"] for rec in records for r in rec["removed"])
    inputs = Counter(
        reason
        for rec_group in group_by_input(records).values()
        for reason in {r["reason"] for rec in rec_group for r in rec["removed"]}
    )
    if not lines:
        return '<p class="muted">No line was removed.</p>'
    rows = "".join(
        f'<tr><td><label><input type="checkbox" name="reason" value="{escape(reason)}" checked> '
        f'{tag(reason)}</label></td><td class="n">{count}</td><td class="n">{inputs[reason]}</td></tr>'
        for reason, count in sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    total = f'<tr><th>all</th><th class="n">{lines.total()}</th><th></th></tr>'
    head = '<tr><th>reason</th><th class="n">lines</th><th class="n">inputs</th></tr>'
    return f"<table>{head}{rows}{total}</table>"


def render_site_filter(records: Iterable[Record]) -> str:
    """The site select: all sites, then each site (or source folder) that has records."""
    sites = sorted({site_of(r) for r in records})
    options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in sites)
    return f'<select id="site"><option value="">all sites</option>{options}</select>'


def render_refused(refused: Mapping[str, Refusal]) -> str:
    """The inputs the last run refused, with the reason code and its detail."""
    if not refused:
        return ""
    rows = [
        f"<tr><td><code>{escape(path)}</code></td><td>{tag(why.reason)}</td><td>{escape(why.detail)}</td></tr>"
        for path, why in sorted(refused.items())
    ]
    return (
        f'<div class="panel" id="refused"><h3>Refused inputs ({len(refused)})</h3>'
        f"<table><tr><th>input</th><th>reason</th><th>detail</th></tr>{''.join(rows)}</table></div>"
    )


def render_kept(record: Record) -> str:
    """A speech's kept text: title, what metadata found, then each section indented by its level."""
    facts = [record.get(k) for k in ("date", "speaker", "genre")] + [f"{record.get('char_count', 0)} 字"]
    flags = '<span class="flag">truncated</span>' if record.get("truncated") else ""
    parts = [
        f"<h3>{escape(record['title'])}</h3>",
        f'<p class="meta">{" · ".join(escape(str(f)) for f in facts if f)} {flags}</p>',
    ]
    for section in record["sections"]:
        heading = f"<h4>{escape(section['heading'])}</h4>" if section["heading"] else ""
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in section["paragraphs"])
        indent = max(section["level"] - 1, 0)  # level 1 (一、) sits at the margin, like level 0
        parts.append(f'<div class="sec" style="--indent:{indent}">{heading}{paragraphs}</div>')
    return f'<div class="kept">{"".join(parts)}</div>'


def render_removed(record: Record) -> str:
    """A speech's removed lines in input order, each with its reason tag and stage."""
    items = "".join(
        f'<li class="removal" data-reason="{escape(r["reason"])}">{tag(r["reason"])} '
        f'<span class="stage">{escape(r["stage"])}</span><span class="text">{escape(r["text"])}</span></li>'
        for r in record["removed"]
    )
    body = f"<ul>{items}</ul>" if items else '<p class="muted">nothing removed</p>'
    return f'<div class="removed"><h4>removed ({len(record["removed"])})</h4>{body}</div>'


def render_copies(copies: Sequence[tuple[str, str, bool]]) -> str:
    """A speech's other copies in the corpus (label, record id, canonical), each a link to its card."""
    if not copies:
        return ""
    links = ", ".join(
        f'<a href="#{escape(ident)}">{escape(label)}</a>{" (canonical)" if canonical else ""}'
        for label, ident, canonical in copies
    )
    return f'<p class="copies muted">other copies ({len(copies)}): {links}</p>'


def copies_of(records_by_file: Mapping[str, Record], members: Mapping[str, Mapping[str, Any]]) -> dict:
    """Record id → its other copies (label, record id, canonical), from the manifest's clusters."""
    result: dict[str, list[tuple[str, str, bool]]] = {}
    for file, member in members.items():
        if file not in records_by_file:
            continue
        copies = result[records_by_file[file]["id"]] = []
        for other_file in member["copies"]:
            other = records_by_file.get(other_file)
            if other is not None:
                label = f"{other['source']['path']} #{other['source'].get('speech', 1)}"
                copies.append((label, other["id"], members[other_file]["canonical"]))
    return result


def render_input(path: str, records: Sequence[Record], copies: Mapping[str, Sequence] | None = None) -> str:
    """One input's card: its path and site, then each speech's kept and removed text side by side."""
    site = site_of(records[0])
    reasons = " ".join(sorted({r["reason"] for rec in records for r in rec["removed"]}))
    speeches = "".join(
        f'<article class="speech" id="{escape(rec["id"])}">{render_kept(rec)}{render_removed(rec)}</article>'
        + render_copies((copies or {}).get(rec["id"], ()))
        for rec in records
    )
    return (
        f'<section class="input" data-site="{escape(site)}" data-reasons="{escape(reasons)}">'
        f'<header><h2>{escape(path)}</h2><span class="muted">{escape(site)} · '
        f"{len(records)} speech{'es' if len(records) > 1 else ''}</span></header>{speeches}</section>"
    )


def build_page(
    records: Sequence[Record],
    refused: Mapping[str, Refusal],
    title: str,
    copies: Mapping[str, Sequence] | None = None,
) -> str:
    """The whole review page of `records` and the `refused` inputs ({path: refusal});
    `copies` maps a record id to its other copies (see `copies_of`)."""
    groups = group_by_input(records)
    removed = sum(len(r["removed"]) for r in records)
    summary = (
        f"inputs with records: {len(groups)} · speeches: {len(records)} · removed lines: {removed} · "
        f"refused inputs: {len(refused)}"
    )
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=escape(title),
        summary=escape(summary),
        counts=render_counts(records),
        sites=render_site_filter(records),
        refused=render_refused(refused),
        inputs="\n".join(render_input(path, group, copies) for path, group in groups.items()),
    )


def read_refused(clean_dir: Path) -> dict[str, Refusal]:
    """The refusals of the last run's report, or {} when there is no readable report.

    A report written before refusals were kept apart (`path: "reason: detail"`) reads too.
    """
    try:
        text = (clean_dir / STATE_DIR / "report.yaml").read_text(encoding="utf-8")
        refused = next(load_records(text), {}).get("refused") or {}
    except (OSError, yaml.YAMLError):
        return {}
    if not isinstance(refused, dict):
        return {}
    read = {str(path): read_refusal(why) for path, why in refused.items()}
    return {path: why for path, why in read.items() if why is not None}


def missing_for_review(record: Record) -> list[str]:
    """What the page needs and a record lacks (a hand-edited record need not be complete)."""
    problems = []
    source = record.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("path"), str):
        problems.append("source/path: missing")
    for key, kind in (("id", str), ("title", str), ("sections", list), ("removed", list)):
        if not isinstance(record.get(key), kind):
            problems.append(f"{key}: missing or not a {kind.__name__}")
    sections, removed = record.get("sections") or [], record.get("removed") or []
    if not all(isinstance(s, dict) and {"heading", "level", "paragraphs"} <= s.keys() for s in sections):
        problems.append("sections: each needs heading, level and paragraphs")
    if not all(isinstance(r, dict) and {"text", "reason", "stage"} <= r.keys() for r in removed):
        problems.append("removed: each needs text, reason and stage")
    return problems


def write_review(
    clean_dir: Path, output: Path | None = None, warn: Callable[[str], None] | None = None
) -> Path:
    """Write the review page of `clean_dir` (default CLEAN_DIR/review.html) and return its path.

    Only valid records are shown; each file left out is named through `warn`.
    """
    output = output or clean_dir / "review.html"
    found, _ = valid_records(clean_dir, warn or (lambda line: None), missing_for_review)
    by_file = {path.relative_to(clean_dir).as_posix(): record for path, record in found}
    copies = copies_of(by_file, read_memberships(clean_dir))
    title = f"jianggao review: {clean_dir.resolve().name}"
    page = build_page(list(by_file.values()), read_refused(clean_dir), title, copies)
    write_atomically(output, page)
    return output
