"""Refusals as plain data: how the manifest and the run report write one and read it back.

From the stage that makes it to the review page a refusal stays a `cleaners.document.Refusal`
(a reason code registered in `cleaners/data/reasons.yaml` and a detail); written out it is
`{"reason": …, "detail": …}`. Folders cleaned before refusals were kept apart hold one string,
`"reason: detail"` (manifest version 1, and the report.yaml of such a run): `read_refusal`
converts it on read, so an old clean folder stays readable.
"""

from __future__ import annotations

from collections.abc import Mapping

from cleaners.document import Refusal


def refusal_data(refusal: Refusal) -> dict[str, str]:
    """A refusal as the manifest and the report write it.

    >>> refusal_data(Refusal("binary", "PNG signature"))
    {'reason': 'binary', 'detail': 'PNG signature'}
    """
    return {"reason": refusal.reason, "detail": refusal.detail}


def read_refusal(value: object) -> Refusal | None:
    """A refusal written by `refusal_data`, or by an earlier version as one string; else None.

    >>> read_refusal({"reason": "empty", "detail": "0 bytes"}), read_refusal("binary: PNG signature")
    (Refusal(reason='empty', detail='0 bytes'), Refusal(reason='binary', detail='PNG signature'))
    """
    if isinstance(value, Mapping) and isinstance(value.get("reason"), str) and value["reason"]:
        detail = value.get("detail")
        return Refusal(value["reason"], "" if detail is None else str(detail))
    if isinstance(value, str) and value:  # an earlier version's "reason: detail"
        reason, _, detail = value.partition(": ")
        return Refusal(reason.strip(), detail)
    return None
