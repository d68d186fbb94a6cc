"""Tell hidden elements of a page: text a reader never sees, dropped before scoring with a reason.

Pages hide text for two reasons that matter here: forum software and copy-protected sites insert
jammer strings (`<font class="jammer">k9$ Q)</font>`, `<span style="display:none">…</span>`)
inside the text so that a copy does not match its source, and layout templates keep second,
hidden copies of the article or of menus. An element is hidden when its inline style says
`display:none`, `visibility:hidden` or a zero font size, when it carries the HTML `hidden`
attribute, or when one of its class names is a known hiding or jammer class. The rules live in
`data/hidden.yaml`. Only the element's own markup is read: no style sheet is applied, so text
hidden by a stylesheet rule stays (we never drop text a reader may see).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from cleaners.html_tree import Node

RULES_PATH = Path(__file__).parent / "data" / "hidden.yaml"


@lru_cache(maxsize=4)
def load_hidden_rules(path: Path = RULES_PATH) -> tuple[frozenset[str], re.Pattern[str]]:
    """The hiding class names (lower case) and one pattern of hiding style declarations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    classes = frozenset(name.lower() for name in data["classes"])
    styles = re.compile("|".join(f"(?:{p})" for p in data["styles"]), re.I)
    return classes, styles


def is_hidden(element: Node) -> bool:
    """Whether the element's own markup hides it from a reader.

    >>> from cleaners.html_tree import parse_html
    >>> p = parse_html('<p>讲<font class="jammer">k9$</font>话<span style="DISPLAY: none">x</span></p>').body
    >>> [is_hidden(child) for child in p.children[0].element_children()]
    [True, True]
    """
    attrs = element.attrs
    style = attrs.get("style")
    names = attrs.get("class")
    if style is None and names is None:
        return "hidden" in attrs
    classes, styles = load_hidden_rules()
    if style and styles.search(style):
        return True
    return bool(names) and not classes.isdisjoint(map(str.lower, names)) or "hidden" in attrs
