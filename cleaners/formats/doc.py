r"""Read a Word 97–2003 .doc (and a WPS Office .wps in the same container) through its piece table.

No well-kept pure-Python library reads .doc text (antiword and catdoc are C programs), so the
documented structure is read directly ([MS-DOC]): olefile opens the OLE container; the
`WordDocument` stream's FIB gives the text lengths (main text, footnotes, headers, comments…)
and where the piece table sits in the `0Table` or `1Table` stream; each piece is UTF-16LE or
8-bit text at its own offset. Field codes (`\x13 instruction \x14 result \x15`) keep their
result; the main text's paragraphs become lines; footnote, header and comment text become
removals. Styles are not read: titles and headings come from the text, as for plain text.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import olefile

from cleaners.document import Refusal
from cleaners.formats.base import LineBuilder, Read, document_text
from cleaners.formats.docx import split_breaks

MAX_STREAM_BYTES = 64_000_000
# What olefile and the FIB's arithmetic raise on a damaged container (olefile's own errors are
# OSErrors; a directory entry of the wrong type gives TypeError, a broken chain KeyError…).
DAMAGE = (OSError, ValueError, struct.error, IndexError, OverflowError, TypeError, KeyError, RecursionError)
FIB_MAGIC = 0xA5EC
ENCRYPTED, WHICH_TABLE, OBFUSCATED = 0x0100, 0x0200, 0x8000
CCP_OFFSET = 0x4C  # ccpText, then ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn, ccpTxbx, ccpHdrTxbx
FC_CLX = 0x1A2
# The text after the main document, in the order the FIB counts it, and what becomes of it.
STORIES = ("footnote", "page_furniture", None, "comment", "footnote", None, None)
# Characters with a meaning in Word's text stream: paragraph ends become line breaks (`\r`),
# soft line breaks `\n`, objects and anchors vanish. A table cell ends with \x07 and its row with
# one more: a row is one line, its cells apart by a space (as the .docx reader gives them).
ROW_END = "\x07\x07"
TRANSLATE = {0x07: " ", 0x0C: "\r", 0x0B: "\n", 0x1E: "-", 0x1F: "", 0xA0: " "}
TRANSLATE.update({c: "" for c in (0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x0E, 0x0F, 0x10, 0x11, 0x12)})


@dataclass(frozen=True)
class Piece:
    cp_start: int
    cp_end: int
    offset: int
    compressed: bool


def read_doc(data: bytes, fmt: str = "doc") -> Read | Refusal:
    """Read a .doc/.wps, or refuse it (`encrypted`, `corrupt`)."""
    try:
        ole = olefile.OleFileIO(data)
    except DAMAGE as error:
        return Refusal("corrupt", f"not a readable OLE file (truncated?): {error}")
    try:
        if ole.exists("EncryptedPackage"):
            return Refusal("encrypted", "an encrypted Office document: it needs a password")
        if not ole.exists("WordDocument"):
            return Refusal("corrupt", "no WordDocument stream")
        word = _stream(ole, "WordDocument")
        if len(word) < FC_CLX + 8 or struct.unpack_from("<H", word, 0)[0] != FIB_MAGIC:
            return Refusal("corrupt", "the WordDocument stream has no valid FIB")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & (ENCRYPTED | OBFUSCATED):
            return Refusal("encrypted", f"the {fmt} file is encrypted: it needs a password")
        table_name = "1Table" if flags & WHICH_TABLE else "0Table"
        if not ole.exists(table_name):
            return Refusal("corrupt", f"no {table_name} stream")
        table = _stream(ole, table_name)
        text = piece_text(word, table)
    except DAMAGE as error:
        return Refusal("corrupt", f"the {fmt} file is damaged: {error}")
    finally:
        ole.close()
    if isinstance(text, Refusal):
        return text
    return Read(document_text("utf-16-le"), split_stories(word, text).extracted())


def _stream(ole: olefile.OleFileIO, name: str) -> bytes:
    if ole.get_size(name) > MAX_STREAM_BYTES:
        raise ValueError(f"stream {name} is larger than {MAX_STREAM_BYTES:,} bytes")
    return ole.openstream(name).read()


def read_pieces(word: bytes, table: bytes) -> list[Piece]:
    """The piece table (PlcPcd) in the Clx at fcClx of the table stream."""
    fc_clx, lcb_clx = struct.unpack_from("<II", word, FC_CLX)
    clx = table[fc_clx : fc_clx + lcb_clx]
    at = 0
    while at < len(clx) and clx[at] == 0x01:  # Prc: property modifiers, skipped
        at += 3 + struct.unpack_from("<H", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table in the Clx")
    size = struct.unpack_from("<I", clx, at + 1)[0]
    plc = clx[at + 5 : at + 5 + size]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces = []
    for k in range(count):
        fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * k + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc
        pieces.append(Piece(cps[k], cps[k + 1], offset, compressed))
    return pieces


def piece_text(word: bytes, table: bytes) -> str:
    """All the document's text (every story), in CP order."""
    out = []
    for piece in read_pieces(word, table):
        length = max(piece.cp_end - piece.cp_start, 0)
        if piece.compressed:
            out.append(word[piece.offset : piece.offset + length].decode("cp1252", errors="replace"))
        else:
            out.append(word[piece.offset : piece.offset + 2 * length].decode("utf-16-le", errors="replace"))
    return "".join(out)


def strip_fields(text: str) -> str:
    r"""Keep a field's result, drop its instruction: `\x13 PAGE \x145\x15` → `5`.

    >>> strip_fields("第\x13 PAGE \x143\x15页")
    '第3页'
    """
    if "\x13" not in text:
        return text
    out: list[str] = []
    hidden = []  # per open field: True while in its instruction
    for char in text:
        if char == "\x13":
            hidden.append(True)
        elif char == "\x14" and hidden:
            hidden[-1] = False
        elif char == "\x15" and hidden:
            hidden.pop()
        elif not any(hidden):
            out.append(char)
    return "".join(out)


def split_stories(word: bytes, text: str) -> LineBuilder:
    """Main text as lines; footnotes, headers and comments as removals."""
    counts = struct.unpack_from("<8i", word, CCP_OFFSET)
    out = LineBuilder()
    main = clean(text[: max(counts[0], 0)])
    for paragraph in main.split("\r"):
        for line in split_breaks(paragraph):
            out.add(line)
    at = max(counts[0], 0)
    for count, reason in zip(counts[1:], STORIES, strict=True):
        story = clean(text[at : at + max(count, 0)])
        at += max(count, 0)
        if reason:
            for paragraph in story.split("\r"):
                out.drop(paragraph, reason)
    return out


def clean(text: str) -> str:
    r"""Fields resolved, tables as lines, control characters gone.

    >>> clean("整改问题\x0742项\x07\x07完成率\x0795%\x07\x07")
    '整改问题 42项\r完成率 95%\r'
    """
    return strip_fields(text).replace(ROW_END, "\r").translate(TRANSLATE)
