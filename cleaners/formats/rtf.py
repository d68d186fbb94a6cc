r"""Read an RTF file: its text, with `\'hh` bytes decoded in the code page in force.

RTF is 7-bit: Chinese arrives as `\uN` escapes (with a fallback to skip, `\ucN`) or as GB bytes
`\'hh\'hh` under `\ansicpg936` or a font of charset 134 (GB2312; 136 is Big5). Bytes are
gathered until the next token and decoded as one run, so a two-byte character split over two
escapes comes out whole. The font, colour and style tables, pictures, objects, field codes and
other destinations are skipped; headers and footers become `page_furniture`, footnotes
`footnote`, annotations `comment`. A centred, bold first paragraph is the title (`h1`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from cleaners.document import Refusal
from cleaners.formats.base import LineBuilder, Read, document_text

TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S
)
CHARSETS = {0: "cp1252", 128: "cp932", 129: "cp949", 134: "gb18030", 136: "big5hkscs", 161: "cp1253",
            162: "cp1254", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874"}
CODEPAGES = {936: "gb18030", 950: "big5hkscs", 932: "cp932", 949: "cp949", 65001: "utf-8"}
SKIPPED = frozenset(
    b"fonttbl colortbl stylesheet info pict object themedata colorschememapping latentstyles datastore "
    b"xmlnstbl listtable listoverridetable rsidtbl generator mmathPr fldinst filetbl revtbl userprops "
    b"nonshppict shpinst wgrffmtfilter pgdsctbl listtext bkmkstart bkmkend".split()
)
REMOVED = {b"header": "page_furniture", b"headerl": "page_furniture", b"headerr": "page_furniture",
           b"headerf": "page_furniture", b"footer": "page_furniture", b"footerl": "page_furniture",
           b"footerr": "page_furniture", b"footerf": "page_furniture", b"footnote": "footnote",
           b"annotation": "comment", b"atnauthor": "comment", b"atnid": "comment"}
SYMBOLS = {b"emdash": "—", b"endash": "–", b"lquote": "‘", b"rquote": "’", b"ldblquote": "“",
           b"rdblquote": "”", b"bullet": "•", b"tab": " ", b"cell": " ", b"emspace": "\u3000",
           b"enspace": " ", b"qmspace": " "}
WESTERN = frozenset(("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "latin-1"))
CJK_CODECS = frozenset(("gb18030", "big5hkscs", "cp932", "cp949"))
BREAKS = frozenset((b"par", b"sect", b"page", b"line", b"row"))
CONTROL_SYMBOLS = {b"~": "\u00a0", b"-": "", b"_": "-", b"{": "{", b"}": "}", b"\\": "\\"}
MAX_DEPTH = 10_000  # deeper nesting is refused: no office suite writes it


@dataclass(frozen=True)
class Group:
    """What is in force in a `{…}` group."""

    skip: bool = False
    removed: str | None = None
    codec: str = "cp1252"
    uc: int = 1
    bold: bool = False
    in_fonts: bool = False
    starred: bool = False  # after `\*`: skip this destination unless it is one we read


@dataclass
class RtfReader:
    default: str = "cp1252"
    fonts: dict[int, str] = field(default_factory=dict)
    out: LineBuilder = field(default_factory=LineBuilder)
    text: list[str] = field(default_factory=list)
    pending: bytearray = field(default_factory=bytearray)
    removed: dict[str, list[str]] = field(default_factory=dict)
    font_number: int = 0
    centered: bool = False
    all_bold: bool = True
    first_done: bool = False

    def flush_bytes(self, group: Group) -> None:
        if self.pending:
            self.emit(self.decode(bytes(self.pending), group.codec), group)
            self.pending.clear()

    def decode(self, data: bytes, codec: str) -> str:
        """Bytes in the group's code page; a run of high bytes under a Western font is read in
        the document's CJK code page when it decodes there (Word selects the CJK font of
        double-byte text with `\\dbch\\afN`, leaving `\\f` on the Western one)."""
        if codec in WESTERN and len(data) >= 2 and min(data) >= 0x80:
            for cjk in dict.fromkeys([self.default, *self.fonts.values()]):
                if cjk in CJK_CODECS:
                    try:
                        return data.decode(cjk)
                    except UnicodeDecodeError:
                        continue
        return data.decode(codec, errors="replace")

    def emit(self, text: str, group: Group) -> None:
        if group.skip or not text:
            return
        if group.removed:
            self.removed.setdefault(group.removed, []).append(text)
            return
        self.text.append(text)
        if text.strip() and not group.bold:
            self.all_bold = False

    def end_paragraph(self) -> None:
        text = "".join(self.text)
        self.text.clear()
        if not text.strip():
            return
        title = not self.first_done and self.centered and self.all_bold and len(text.strip()) <= 60
        self.first_done = True
        self.out.add(text, "h1" if title else "p")
        self.all_bold = True


def read_rtf(data: bytes) -> Read | Refusal:
    """Read an RTF file into lines, or refuse it as `corrupt`."""
    reader = RtfReader()
    group = Group()
    stack: list[Group] = []
    skip_chars = 0
    for match in TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, text = match.groups()
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
            else:
                reader.pending.append(int(hexbyte, 16))
            continue
        reader.flush_bytes(group)
        if brace == b"{":
            if len(stack) >= MAX_DEPTH:
                return Refusal("hostile", f"groups nested more than {MAX_DEPTH} deep")
            stack.append(group)
            skip_chars = 0
        elif brace == b"}":
            if group.removed and not (stack and stack[-1].removed):
                reader.removed.setdefault(group.removed, []).append("\n")
            group = stack.pop() if stack else group
            skip_chars = 0
        elif text is not None:
            chunk = text.decode("latin-1")
            if skip_chars:
                cut = min(skip_chars, len(chunk))
                chunk, skip_chars = chunk[cut:], skip_chars - cut
            if group.in_fonts:
                continue
            reader.pending.extend(chunk.encode("latin-1"))
            reader.flush_bytes(group)
        elif symbol is not None:
            if symbol == b"*":
                group = replace(group, starred=True)
            elif symbol in CONTROL_SYMBOLS:
                reader.emit(CONTROL_SYMBOLS[symbol], group)
        elif word is not None:
            group, skip_chars = control_word(reader, group, word, arg, skip_chars)
    reader.flush_bytes(group)
    reader.end_paragraph()
    if not data.rstrip().endswith(b"}") or stack:
        return Refusal("corrupt", "truncated: the RTF's groups are not closed")
    for reason, pieces in reader.removed.items():
        for piece in "".join(pieces).split("\n"):
            reader.out.drop(piece, reason)
    return Read(document_text(reader.default), reader.out.extracted())


def control_word(
    reader: RtfReader, group: Group, word: bytes, arg: bytes | None, skip: int
) -> tuple[Group, int]:
    """Apply one control word; returns the group in force and the fallback characters to skip."""
    number = int(arg) if arg is not None else None
    if group.starred:
        group = replace(group, starred=False, skip=group.skip or (word not in REMOVED and not group.removed))
    if word == b"u" and number is not None:
        reader.emit(chr(number % 65536), group)
        return group, group.uc
    if word == b"fonttbl":
        return replace(group, in_fonts=True, skip=True), 0
    if group.in_fonts:
        if word == b"f" and number is not None:
            reader.font_number = number
        elif word == b"fcharset" and number is not None and number in CHARSETS:
            reader.fonts[reader.font_number] = CHARSETS[number]
        return group, skip
    if word in SKIPPED:
        return replace(group, skip=True), 0
    if word in REMOVED and not group.skip:
        return replace(group, removed=REMOVED[word]), 0
    if word == b"ansicpg" and number is not None:
        reader.default = CODEPAGES.get(number, f"cp{number}")
        return replace(group, codec=reader.default), skip
    if word == b"f" and number is not None:
        return replace(group, codec=reader.fonts.get(number, reader.default)), skip
    if word == b"uc" and number is not None:
        return replace(group, uc=max(number, 0)), skip
    if word == b"b":
        return replace(group, bold=number != 0), skip
    if word == b"pard":
        reader.centered = False
    elif word == b"qc":
        reader.centered = True
    elif word in (b"ql", b"qr", b"qj"):
        reader.centered = False
    elif word in BREAKS and not group.skip:
        if group.removed:
            reader.emit("\n", group)
        else:
            reader.end_paragraph()
    elif word in SYMBOLS:
        reader.emit(SYMBOLS[word], group)
    return group, skip
