"""Open a .docx as hostile input: bounded inflation, no DTDs, no entities, no network.

A .docx is a ZIP of XML parts. A part is refused as a zip bomb when it inflates past
`MAX_PART_BYTES` (checked while inflating, since a ZIP's stated sizes can lie), an archive
with more than `MAX_MEMBERS` entries or `MAX_TOTAL_BYTES` inflated in all is refused too, and
any part that declares a DTD (the only way to XML entity expansion, and never in real Office
files) is refused before parsing.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from cleaners.document import Refusal

MAX_PART_BYTES = 48_000_000  # document.xml of a 500-page report is about 10 MB
MAX_TOTAL_BYTES = 128_000_000
MAX_MEMBERS = 5_000
CHUNK = 1 << 20
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


class Refused(Exception):
    """Raised inside a reader to give up on a file with this refusal."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


@dataclass
class Package:
    """An opened .docx: the archive and how many bytes its parts inflated to so far."""

    archive: zipfile.ZipFile
    inflated: int = 0
    cache: dict[str, etree._Element | None] = field(default_factory=dict)

    def names(self) -> list[str]:
        return self.archive.namelist()

    def xml(self, name: str) -> etree._Element | None:
        """The part parsed, or None when the package has no such part."""
        if name not in self.cache:
            data = self.read(name)
            self.cache[name] = None if data is None else parse_part(name, data)
        return self.cache[name]

    def read(self, name: str) -> bytes | None:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise Refused(bomb(name, info.file_size))
        chunks, size = [], 0
        try:
            with self.archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > MAX_PART_BYTES or self.inflated + size > MAX_TOTAL_BYTES:
                        raise Refused(bomb(name, size))
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error) as error:
            raise Refused(Refusal("corrupt", f"part {name} cannot be inflated: {error}")) from None
        except NotImplementedError as error:  # an encryption or compression zipfile lacks
            raise Refused(Refusal("corrupt", f"part {name}: {error}")) from None
        self.inflated += size
        return b"".join(chunks)


def bomb(name: str, size: int) -> Refusal:
    return Refusal("hostile", f"zip bomb: {name} inflates past {size:,} bytes")


def open_package(data: bytes) -> Package:
    """The archive of a .docx, or `Refused` (corrupt, truncated, too many members)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise Refused(Refusal("corrupt", f"not a readable ZIP archive (truncated?): {error}")) from None
    if len(archive.infolist()) > MAX_MEMBERS:
        raise Refused(Refusal("hostile", f"zip bomb: {len(archive.infolist())} members"))
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        raise Refused(Refusal("encrypted", "the archive's parts are encrypted"))
    return Package(archive)


def parse_part(name: str, data: bytes) -> etree._Element:
    """Parse one XML part; a DTD (entity declarations) or broken XML refuses the file."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Refused(Refusal("hostile", f"XML entity expansion: {name} declares a DTD"))
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Refused(Refusal("corrupt", f"part {name} is not well-formed XML: {error}")) from None
