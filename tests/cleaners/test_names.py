"""File names in any bytes: an escaped form to file and show records under, the exact bytes back."""

import os
from urllib.parse import unquote_to_bytes

import pytest

from cleaners.names import escape_name, is_clean_name, name_bytes
from flows.run_state.files import record_file


@pytest.mark.parametrize(
    "raw",
    [
        "讲话稿.txt".encode("gbk"),
        "子目录".encode("gbk") + b"/" + "黨課.txt".encode("big5"),
        b"\xff\xfe.txt",
        "讲话稿.txt".encode(),
    ],
)
def test_any_name_is_written_and_given_back_exactly(raw, tmp_path):
    name = os.fsdecode(raw)
    shown = escape_name(name)
    shown.encode("utf-8")  # always writable as UTF-8 text
    assert is_clean_name(shown)
    if is_clean_name(name):
        assert shown == name and name_bytes(name) is None
    else:
        assert "\\x" in shown and unquote_to_bytes(name_bytes(name)) == raw
    target = tmp_path / record_file(shown, 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("ok", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "ok"
