"""Tell an input's format by its bytes: a few prefix tests, nothing more for text and HTML.

`docx` is a ZIP archive holding `word/document.xml`; `doc` an OLE compound file holding a
`WordDocument` stream (WPS Office writes its `.wps` files in the same container, and they keep
that name when the file does); `pdf` opens with `%PDF-` within its first kilobyte (readers
allow leading junk); `rtf` with `{\\rtf`. Any other input is `text` (plain or HTML, which the
text path tells apart); a ZIP or OLE file that holds no Word document falls through to the
decoder, which refuses it as `binary`.
"""

from __future__ import annotations

import io
import zipfile

DOCUMENT_FORMATS = ("docx", "doc", "wps", "pdf", "rtf")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"
PDF_SEARCH = 1024  # a PDF header may follow a little junk


def sniff_format(data: bytes, name: str = "") -> str:
    """`docx`, `doc`, `wps`, `pdf`, `rtf` or `text`, from the bytes (the name only tells
    `.wps` from `.doc`, whose containers are the same).

    >>> sniff_format(b"{\\\\rtf1\\\\ansi hello}")
    'rtf'
    >>> sniff_format("同志们：".encode())
    'text'
    """
    if data.startswith(ZIP_MAGIC):
        return "docx" if _zip_holds_word(data) else "text"
    if data.startswith(OLE_MAGIC):
        if not _ole_holds_word(data):
            return "text"
        return "wps" if name.lower().endswith(".wps") else "doc"
    if data.find(PDF_MAGIC, 0, PDF_SEARCH) >= 0 and (data.startswith(PDF_MAGIC) or b"endobj" in data):
        return "pdf"
    if data.find(b"{\\rtf", 0, 16) >= 0 and data[:16].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    return "text"


def _zip_holds_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.NameToInfo
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return b"word/" in data[:4096]  # a truncated .docx is still a .docx (refused as corrupt)


def _ole_holds_word(data: bytes) -> bool:
    """A `WordDocument` stream, or an `EncryptedPackage` (an encrypted .docx, refused by name)."""
    return any(name.encode("utf-16-le") in data for name in ("WordDocument", "EncryptedPackage"))
