"""`jianggao explain FILE...` prints each file's trip through the stages; a missing file fails."""

from flows.cli import main

SPEECH = (
    "在全县作风建设推进会上的讲话\n同志们:\n"
    + "今天召开全县作风建设推进会,主要任务是总结前一阶段作风建设工作,部署下一步重点任务。" * 4
    + "\n浏览量：128\n"
)


def test_explain_prints_every_stage_and_the_record(tmp_path, capsys):
    path = tmp_path / "zuofeng.txt"
    path.write_bytes(SPEECH.encode("gb18030"))
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "zuofeng.txt"
    stages = [line.split(":")[0] for line in out[1:] if line and not line.startswith((" ", "record"))]
    assert stages == ["extract", "noise", "boilerplate", "reflow", "punctuation", "structure"]
    assert "  - [site_chrome] 浏览量：128" in out
    assert out[-2].startswith("record 1: 在全县作风建设推进会上的讲话 |")


def test_a_missing_file_is_named_and_the_others_still_explained(tmp_path, capsys):
    path = tmp_path / "zuofeng.txt"
    path.write_bytes(SPEECH.encode("utf-8"))
    assert main(["explain", str(tmp_path / "missing.txt"), str(path)]) == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err
    assert "record 1: 在全县作风建设推进会上的讲话" in captured.out
