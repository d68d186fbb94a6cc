"""Hand-built Office and PDF files for the cases the writing libraries cannot make: a .docx with
footnotes, comments, revisions and automatic numbering; a .doc in a minimal OLE container; PDFs
whose object graph is hostile."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_package(body: str, parts: dict[str, str] | None = None, prolog: str = "") -> bytes:
    """A .docx whose document.xml body is `body` (WordprocessingML), with extra parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>{body}'
            "</w:body></w:document>",
        )
        for name, xml in (parts or {}).items():
            archive.writestr(name, f'<?xml version="1.0" encoding="UTF-8"?>{xml}')
    return out.getvalue()


def para(text: str, props: str = "") -> str:
    return f"<w:p><w:pPr>{props}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def zip_bomb(inflated: int = 64_000_000) -> bytes:
    """A .docx whose document.xml inflates to `inflated` bytes of spaces (about 60 KB packed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as part,
    ):
        chunk = b" " * (1 << 20)
        for _ in range(inflated // len(chunk)):
            part.write(chunk)
    return out.getvalue()


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors, no mini stream): each stream
    is padded with NULs to 4096 bytes or more (and declared so), to live in the regular FAT."""
    sector = 512
    padded = {
        name: data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for name, data in streams.items()
    }
    fat: list[int] = [0xFFFFFFFD, 0xFFFFFFFE]  # sector 0: the FAT, sector 1: the directory
    starts = {}
    for name, data in padded.items():
        starts[name] = len(fat)
        count = len(data) // sector
        fat += [len(fat) + k + 1 for k in range(count - 1)] + [0xFFFFFFFE]
    assert len(fat) <= sector // 4
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    names = list(padded)

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB3I", len(raw), kind, 1, left, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    none = 0xFFFFFFFF
    directory = entry("Root Entry", 5, none, none, 1, 0xFFFFFFFE, 0)
    for k, name in enumerate(names, start=1):  # a chain of right siblings
        directory += entry(name, 2, none, k + 1 if k < len(names) else none, none, starts[name],
                           len(padded[name]))
    directory = directory.ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<I", 0) + b"\xff" * 4 * 108)
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(padded.values())


def word_document(main: str, footnotes: str = "", headers: str = "", flags: int = 0x0200) -> dict[str, bytes]:
    """The WordDocument and 1Table streams of a .doc holding this text as one UTF-16 piece."""
    text = main + footnotes + headers
    fib = bytearray(0x800)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", fib, 0x0A, flags)
    struct.pack_into("<3i", fib, 0x4C, len(main), len(footnotes), len(headers))
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, 0x800, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))
    return {"WordDocument": bytes(fib) + text.encode("utf-16-le"), "1Table": clx}


def pdf_objects(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 is the catalog), with a correct xref table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def looping_page_tree() -> bytes:
    return pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ])


def endless_stream(inflated: int = 160_000_000) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of zeros."""
    packer = zlib.compressobj(9)
    chunk = b"0" * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated // len(chunk))) + packer.flush()
    return pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ])
