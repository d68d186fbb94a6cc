"""The installed `jianggao` command, run as a user would."""

import json
import os
import shutil
import subprocess
import sys

import pytest

# The command pip installed beside this interpreter (a venv's bin/ is not on PATH unless activated).
JIANGGAO = shutil.which("jianggao", path=os.path.dirname(sys.executable)) or shutil.which("jianggao")
pytestmark = pytest.mark.skipif(JIANGGAO is None, reason="package not installed (pip install -e .)")


def test_detect_prints_one_json_object_per_file(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("同志们：今天我们召开全县农业农村工作会议，总结去年工作，部署今年任务。".encode("gbk"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("同志们：下面，我讲三点意见。".encode("utf-16"))
    out = subprocess.run(
        [JIANGGAO, "detect", "--json", str(gbk), str(utf16)], capture_output=True, text=True, check=True
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["path"] for r in rows] == [str(gbk), str(utf16)]
    assert rows[0]["encoding"] in {"gb18030", "gbk"}
    assert rows[1]["encoding"].startswith("utf-16")
    assert all(0 <= r["confidence"] <= 1 for r in rows)


def test_run_without_raw_folder_says_so(tmp_path):
    done = subprocess.run(
        [JIANGGAO, "run", str(tmp_path / "missing"), str(tmp_path / "out")], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "raw folder not found" in done.stderr


def test_runs_on_the_temporary_server_send_no_heartbeats():
    from prefect.settings import get_current_settings

    from flows.startup.embedded import without_heartbeats

    default = get_current_settings().flows.heartbeat_frequency
    with without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == default
    assert default is not None  # else the setting moved, and the temporary server's runs wait again



OPENBLAS_CHECK = """
import contextlib, io, os, sys
import flows.cli
assert "numpy" not in sys.modules, "flows.cli loads numpy when imported"
with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):
    flows.cli.main(["--help"])
print(os.environ["OPENBLAS_NUM_THREADS"])
"""


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_openblas_threads_default_is_set_before_numpy_loads(given, expected):
    """OpenBLAS reads OPENBLAS_NUM_THREADS once, when numpy first loads: `main` sets its default,
    so nothing `flows.cli` imports may load numpy; a user's own value wins."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", OPENBLAS_CHECK], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected
