"""Damaged documents (cut short, bytes flipped) give a record or a refusal, never an exception."""

from __future__ import annotations

import random

import pytest
import speech_files
from office_files import cfb, word_document

from cleaners.document import Refusal
from cleaners.formats import Read, read_document, sniff_format

MAKERS = {
    "docx": speech_files.as_docx,
    "pdf": speech_files.as_pdf,
    "rtf": speech_files.as_rtf,
    "doc": lambda: cfb(word_document("\r".join(speech_files.BODY) + "\r")),
}


def damaged(data: bytes, rng: random.Random, k: int) -> bytes:
    if k % 3 == 0:
        return data[: rng.randrange(8, len(data))]
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 30)):
        flipped[rng.randrange(8, len(flipped))] = rng.randrange(256)
    return bytes(flipped)


@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_damaged_documents_are_read_or_refused(fmt):
    rng = random.Random(fmt)
    original = MAKERS[fmt]()
    reasons = set()
    for k in range(60):
        data = damaged(original, rng, k)
        found = sniff_format(data)
        if found == "text":
            continue
        result = read_document(data, found)
        assert isinstance(result, (Read, Refusal))
        if isinstance(result, Refusal):
            reasons.add(result.reason)
    assert reasons <= {"corrupt", "hostile", "no_text_layer", "encrypted"}
    assert "corrupt" in reasons
