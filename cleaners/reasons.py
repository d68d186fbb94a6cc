"""The registry of reason codes: why a line was removed, why an input was refused.

One data file, `data/reasons.yaml`, names every code jianggao gives with a one-line meaning.
The stages give these codes; the record schema's documentation, the report, the review page and
`docs/record.md` read their meanings from here, so an explanation is written once. A user's own
boilerplate rules may add removal codes: they are not errors, only not described here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REASONS_FILE = Path(__file__).with_name("data") / "reasons.yaml"


@dataclass(frozen=True)
class RemovalReason:
    """A removal code: the stage that gives it, its tag colour on the review page, its meaning."""

    code: str
    stage: str
    hue: int
    meaning: str


@dataclass(frozen=True)
class Registry:
    """Every removal and refusal code jianggao gives, in the order the data file lists them."""

    removals: dict[str, RemovalReason]
    refusals: dict[str, str]

    def meaning(self, code: str) -> str:
        """What a removal or refusal code means, or "" for a code the registry does not hold.

        >>> load_reasons().meaning("no_speech")
        'no text of its own is left once the page chrome is removed'
        """
        if code in self.removals:
            return self.removals[code].meaning
        return self.refusals.get(code, "")


@lru_cache(maxsize=1)
def load_reasons(path: Path = REASONS_FILE) -> Registry:
    """Read the registry (once per process)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    removals = {
        code: RemovalReason(code, entry["stage"], int(entry["hue"]), entry["meaning"])
        for code, entry in data["removals"].items()
    }
    return Registry(removals, dict(data["refusals"]))


def removal_table() -> str:
    """The removal codes as the Markdown table `docs/record.md` shows (a test keeps it in step)."""
    rows = [f"| `{r.code}` | {r.stage} | {r.meaning} |" for r in load_reasons().removals.values()]
    return "\n".join(["| reason | stage | a line that is… |", "|---|---|---|", *rows])


def refusal_table() -> str:
    """The refusal codes as the Markdown table `docs/record.md` shows."""
    rows = [f"| `{code}` | {meaning} |" for code, meaning in load_reasons().refusals.items()]
    return "\n".join(["| refusal | meaning |", "|---|---|", *rows])
