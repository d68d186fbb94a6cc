"""Pages that list several posts: the first post is the article.

A blog's archive page, a forum thread and a news site's "comments as posts" page repeat one
layout unit per post (a table row, a `<div class="post">`): a title bar, the post's text, a
footer with its time and reply count. The densest post need not be the article; the first one is
(the thread's opening post, the archive's newest entry). So when the best container sits in one
of several such units, the matching container of the first unit is taken instead.

A unit is told from a plain layout cell by repetition and shape: at least `MIN_UNITS` siblings of
one tag and class hold prose, each holds text besides its post body (a title bar or footer), and
the first unit holds a matching container with prose and few links. Sibling containers of the
best one itself are not units here: they are the articles of a compilation (`merge_siblings`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cleaners.html_tree import DOCUMENT, Node

if TYPE_CHECKING:
    from cleaners.main_content import Tally

MIN_UNITS = 3  # a thread or archive page shows several posts; two similar cells are too common
MIN_POST_MASS = 40.0  # prose weight of a post: a sentence or two
MAX_LINK_DENSITY = 0.3
MAX_LEVELS = 12  # how far above the best container a post unit may sit
STOP_TAGS = frozenset(("body", "html", DOCUMENT))


def signature(element: Node) -> tuple[str, tuple[str, ...]]:
    """The tag and class names that repeated units share (ids differ: `post_1`, `post_2`)."""
    return element.name, tuple(element.get("class") or ())


def first_post(best: Node, tally: Tally) -> Node:
    """The container of the first post when `best` lies in a later post of a listing, else `best`."""
    path: list[tuple[str, tuple[str, ...]]] = []
    node = best
    for level in range(MAX_LEVELS):
        parent = node.parent
        if parent is None or parent.name in STOP_TAGS:
            break
        if level:
            units = post_units(node, parent, tally)
            if units:
                if units[0] is node:
                    return best
                target = follow(units[0], path, tally)
                if target is not None:
                    return target
        path.append(signature(node))
        node = parent
    return best


def post_units(unit: Node, parent: Node, tally: Tally) -> list[Node]:
    """The siblings of `unit` (itself included) that repeat it as post units, or [] when too few."""
    sig = signature(unit)
    units = [
        child for child in parent.element_children()
        if signature(child) == sig and tally.mass_of(child) >= MIN_POST_MASS
    ]
    return units if len(units) >= MIN_UNITS and unit in units else []


def follow(unit: Node, path: list[tuple[str, tuple[str, ...]]], tally: Tally) -> Node | None:
    """The container in `unit` reached by the same tags and classes as the best one in its own unit
    (`path` runs from the best container up; at each step the matching child with the most prose;
    posts differ inside, so the walk stops where the first post's markup parts from it), if it
    holds prose and the unit holds more text."""
    node = unit
    for sig in reversed(path):
        matching = [c for c in node.element_children() if signature(c) == sig]
        child = max(matching, key=tally.mass_of, default=None)
        if child is None or not tally.mass_of(child):
            break
        node = child
    if node is unit:
        return None
    enough = tally.mass_of(node) >= MIN_POST_MASS and tally.link_density(node) <= MAX_LINK_DENSITY
    framed = tally.chars.get(unit, 0) > tally.chars.get(node, 0)
    return node if enough and framed else None
