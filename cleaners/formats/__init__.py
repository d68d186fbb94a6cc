"""Read document formats (Word, PDF, RTF) into the lines the text stages take.

A raw input is plain text or HTML unless its bytes say otherwise (`sniff.sniff_format`). A
document format is read by its own module into a `Read`: the same `Extracted` lines the text
path gives (paragraphs in reading order, the title tagged `h1`, Word's heading styles
`heading1`…`heading4`),
with everything the format keeps out of the body (running headers and footers, page numbers,
footnotes, comments, deleted revisions) as `Removal`s, and a `Decoded` that says how the text
was got. A file that cannot be read is a `Refusal`: `encrypted`, `corrupt`, `hostile` (a zip
bomb, XML entity expansion, a looping page tree, a stream that inflates without end) or
`no_text_layer` (a scanned PDF).
"""

from __future__ import annotations

from cleaners.document import Refusal
from cleaners.formats.base import Read
from cleaners.formats.sniff import DOCUMENT_FORMATS, sniff_format

__all__ = ["DOCUMENT_FORMATS", "Read", "read_document", "sniff_format"]


def read_document(data: bytes, fmt: str) -> Read | Refusal:
    """Read a document of a format `sniff_format` named; the readers are imported on first use,
    so a run of plain text and HTML never loads them."""
    if fmt == "docx":
        from cleaners.formats.docx import read_docx

        return read_docx(data)
    if fmt in ("doc", "wps"):
        from cleaners.formats.doc import read_doc

        return read_doc(data, fmt)
    if fmt == "pdf":
        from cleaners.formats.pdf import read_pdf

        return read_pdf(data)
    if fmt == "rtf":
        from cleaners.formats.rtf import read_rtf

        return read_rtf(data)
    raise ValueError(f"not a document format: {fmt}")
