"""Input file names that are not valid UTF-8, kept losslessly and written safely.

A Windows zip unpacked on Linux leaves names in GBK bytes; Python hands them over with each
undecodable byte as a lone surrogate (PEP 383), which no UTF-8 file, YAML or JSON can hold.
Such a name gets two forms: `escape_name` is readable text with each undecodable byte as
`\\xNN` (records are filed and reported under it), and `name_bytes` is the exact bytes,
percent-encoded, from which the name as given comes back (`unquote_to_bytes`). Valid names are
left as they are, so these cost one check per input.
"""

from __future__ import annotations

import os
from urllib.parse import quote_from_bytes


def is_clean_name(name: str) -> bool:
    """True when `name` holds no lone surrogate (it encodes to UTF-8 as it is).

    >>> is_clean_name("讲话.txt"), is_clean_name("\\udcd6\\udcd8.txt")
    (True, False)
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escape_name(name: str) -> str:
    """`name` as UTF-8 text: each byte that is not UTF-8 shown as `\\xNN`.

    >>> escape_name(os.fsdecode("讲话".encode("gbk") + b".txt"))
    '\\\\xbd\\\\xb2\\\\xbb\\\\xb0.txt'
    """
    if is_clean_name(name):
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def name_bytes(name: str) -> str | None:
    """The exact bytes of a name that is not UTF-8, percent-encoded; None for a UTF-8 name.

    >>> from urllib.parse import unquote_to_bytes
    >>> raw = "讲话".encode("gbk") + b".txt"
    >>> unquote_to_bytes(name_bytes(os.fsdecode(raw))) == raw, name_bytes("a.txt")
    (True, None)
    """
    if is_clean_name(name):
        return None
    return quote_from_bytes(os.fsencode(name), safe="/")
