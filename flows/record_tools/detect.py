"""`jianggao detect FILE...`: print each file's format and the encoding it would be decoded with.

Plain output is one `PATH<TAB>ENCODING<TAB>CONFIDENCE<TAB>METHOD<TAB>FORMAT` line per file; with
`--json` one object per line with `path`, `encoding`, `confidence`, `method`, `declared`,
`refused`, `detail` and `format` (`text`, `html`, `docx`, `doc`, `wps`, `pdf`, `rtf`: told by the
bytes). A Word, PDF or RTF file is read by its format's reader, so an encrypted or scanned one
shows its refusal. A refused or unreadable file prints a line like any other (encoding null, `refused`
its reason code), never a traceback; the exit status is 1 when a file could not be read.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from cleaners.decode import decode_bytes
from cleaners.document import Refusal
from cleaners.extract import looks_like_html
from cleaners.formats import read_document, sniff_format


@dataclass(frozen=True)
class Detection:
    """What `decode_bytes` decided for one file, ready to print."""

    path: str
    encoding: str | None
    confidence: float
    method: str | None
    declared: str | None = None
    refused: str | None = None
    detail: str | None = None
    format: str | None = None


def detect_files(paths: list[str], as_json: bool) -> int:
    """Print one detection line per path; returns the exit status: 1 when a file could not be
    read (missing, no permission), else 0 (an input jianggao would refuse is still an answer)."""
    status = 0
    for path in paths:
        detection = detect_file(path)
        print(format_json(detection) if as_json else format_plain(detection))
        if detection.refused == "unreadable":
            print(f"jianggao detect: cannot read {path}: {detection.detail}", file=sys.stderr)
            status = 1
    return status


def detect_file(path: str) -> Detection:
    """Decode one file the way the pipeline would; an unreadable file is an `unreadable` refusal."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return Detection(path, None, 0.0, None, refused="unreadable", detail=error.strerror or str(error))
    fmt = sniff_format(data, path)
    if fmt != "text":
        read = read_document(data, fmt)
        decoded = read if isinstance(read, Refusal) else read.decoded
    else:
        decoded = decode_bytes(data)
        if not isinstance(decoded, Refusal):
            fmt = "html" if looks_like_html(decoded.text) else "text"
    if isinstance(decoded, Refusal):
        return Detection(path, None, 0.0, None, refused=decoded.reason, detail=decoded.detail, format=fmt)
    return Detection(
        path, decoded.encoding, round(decoded.confidence, 3), decoded.method, decoded.declared, format=fmt
    )


def format_plain(detection: Detection) -> str:
    """`PATH<TAB>ENCODING<TAB>CONFIDENCE<TAB>METHOD<TAB>FORMAT`; a refusal shows `-` and
    `refused:REASON`.

    >>> format_plain(Detection("a.txt", "gb18030", 0.99, "detected", format="text"))
    'a.txt\\tgb18030\\t0.99\\tdetected\\ttext'
    """
    fmt = detection.format or "-"
    if detection.refused:
        return f"{detection.path}\t-\t0\trefused:{detection.refused}\t{fmt}"
    return f"{detection.path}\t{detection.encoding}\t{detection.confidence}\t{detection.method}\t{fmt}"


def format_json(detection: Detection) -> str:
    """One JSON object on one line, non-ASCII kept readable."""
    return json.dumps(detection.__dict__, ensure_ascii=False)
