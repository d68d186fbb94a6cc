"""What raw bytes say about themselves before any decoding: file signatures that mark a binary,
byte-order marks, the charset an HTML or XML head declares, and the codec each label is read with.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Magic:
    """A file signature that marks an input as binary."""

    prefix: bytes
    kind: str


MAGIC = (
    Magic(b"\x89PNG\r\n\x1a\n", "PNG image"),
    Magic(b"\xff\xd8\xff", "JPEG image"),
    Magic(b"GIF87a", "GIF image"),
    Magic(b"GIF89a", "GIF image"),
    Magic(b"%PDF-", "PDF document"),
    Magic(b"PK\x03\x04", "ZIP archive (docx, xlsx, epub…)"),
    Magic(b"PK\x05\x06", "empty ZIP archive"),
    Magic(b"\x1f\x8b", "GZIP archive"),
    Magic(b"BZh", "BZIP2 archive"),
    Magic(b"\xfd7zXZ\x00", "XZ archive"),
    Magic(b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    Magic(b"Rar!\x1a\x07", "RAR archive"),
    Magic(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (doc, xls, ppt)"),
    Magic(b"II*\x00", "TIFF image"),
    Magic(b"MM\x00*", "TIFF image"),
    Magic(b"\x7fELF", "ELF executable"),
    Magic(b"SQLite format 3\x00", "SQLite database"),
)


@dataclass(frozen=True)
class Bom:
    """A byte-order mark and the codec that reads (and drops) it."""

    mark: bytes
    codec: str


# UTF-32 first: its little-endian mark starts with UTF-16's.
BOMS = (
    Bom(codecs.BOM_UTF32_LE, "utf-32"),
    Bom(codecs.BOM_UTF32_BE, "utf-32"),
    Bom(codecs.BOM_UTF8, "utf-8-sig"),
    Bom(codecs.BOM_UTF16_LE, "utf-16"),
    Bom(codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels are read with their superset: Python's gb2312 and big5 fail on common characters, and
# browsers read ISO-8859-1 as windows-1252. Keys are `codecs.lookup` names.
SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso8859-1": "cp1252",
    "ascii": "utf-8",
}
DECLARED_BYTES = 8_192  # where a charset declaration is looked for

_DECLARATION = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)


def find_declared_charset(data: bytes) -> str | None:
    """The charset label an HTML or XML head declares, as written.

    >>> find_declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    'gb2312'
    """
    match = _DECLARATION.search(data[:DECLARED_BYTES])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def codec_for_label(label: str | None) -> str | None:
    """The Python codec that reads a charset label, widened to its superset; None if unknown.

    >>> codec_for_label("GB2312"), codec_for_label("Big5"), codec_for_label("x-unknown")
    ('gb18030', 'big5hkscs', None)
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return SUPERSETS.get(name, name)
