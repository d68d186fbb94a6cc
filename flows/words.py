"""Counts in words for the console: `1 speech`, `3 speeches`."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, in the plural unless the count is one.

    >>> plural(1, "speech"), plural(3, "speech"), plural(0, "input"), plural(2, "other YAML file")
    ('1 speech', '3 speeches', '0 inputs', '2 other YAML files')
    """
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or (word + 'es' if word.endswith(('s', 'ch', 'sh', 'x')) else word + 's')}"
