"""The edges of the main content: link boxes left out of it, data tables taken in after it.

Old portal layouts put an article, its related-news table, a print bar and ad boxes in one table
cell, so the chosen container holds more than the article: an element inside it that is mostly
link text and carries little prose for its size is pruned (trafilatura prunes such nodes too).

Notices and reports often end with a table (`附：招生专业及考试科目`, a task list, a name list)
that the layout puts after the text's own cell. Its cells are too short to read as prose, so the
scoring never chooses it: a data table that directly follows the content (or one of the content's
containers, a few levels up) is taken in. A data table has several rows of two or more filled
cells and almost no links; a one-column footer table does not qualify.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleaners.html_tree import DOCUMENT, Node

if TYPE_CHECKING:
    from cleaners.main_content import Tally

LINK_BOX_DENSITY = 0.35  # a box inside the content that is this much link text…
LINK_BOX_PROSE = 0.3  # …and whose prose weight is under this share of its characters is pruned
TABLE_LEVELS = 3  # how far above the content a following table may hang
TABLE_LINKS = 0.1  # a data table is at most this much link text
TABLE_MIN_ROWS = 3  # rows with two or more cells holding text (a footer table has fewer)
STOP_TAGS = frozenset(("body", "html", DOCUMENT))


def prune_link_boxes(elements: list[Node], tally: Tally) -> list[Node]:
    """The boxes of links inside the main content, in document order; the walk does not go into
    a pruned box."""
    pruned: list[Node] = []
    stack = list(reversed(elements))
    while stack:
        node = stack.pop()
        for child in reversed(node.element_children()):
            chars = tally.chars.get(child, 0)
            if not chars:
                continue
            if (
                tally.link_density(child) >= LINK_BOX_DENSITY
                and tally.mass_of(child) < LINK_BOX_PROSE * chars
            ):
                pruned.append(child)
            else:
                stack.append(child)
    return sorted(pruned, key=lambda e: e.order)


def following_tables(top: Node, tally: Tally) -> list[Node]:
    """The data tables right after the content: after `top`, or after one of its containers when
    nothing with text follows it inside that container."""
    node = top
    for _ in range(TABLE_LEVELS):
        parent = node.parent
        if parent is None or parent.name in STOP_TAGS:
            break
        after = [c for c in parent.element_children() if c.order > node.last and tally.chars.get(c, 0)]
        if after:
            tables = []
            for sibling in after:
                if not is_data_table(sibling, tally):
                    break
                tables.append(sibling)
            return tables
        node = parent
    return []


def is_data_table(element: Node, tally: Tally) -> bool:
    """A `<table>` of several rows of two or more filled cells, with almost no link text."""
    if element.name != "table" or tally.link_density(element) > TABLE_LINKS:
        return False
    rows = 0
    stack = [element]
    while stack and rows < TABLE_MIN_ROWS:
        node = stack.pop()
        for child in node.element_children():
            if child.name == "tr":
                filled = sum(1 for cell in child.element_children() if tally.chars.get(cell, 0))
                rows += filled >= 2
            elif child.name in ("tbody", "thead", "tfoot"):
                stack.append(child)
    return rows >= TABLE_MIN_ROWS
