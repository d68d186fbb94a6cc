"""Records and state are staged beside their target and renamed into place (flows/run_state/files.py)."""


def test_staged_records_are_shared_readable_and_never_overwrite_a_leftover(tmp_path, monkeypatch):
    import itertools
    import os

    from flows.run_state import files

    monkeypatch.setattr(files, "_TEMP_NUMBERS", itertools.count())
    target = tmp_path / "site" / "a.txt.1.yaml"
    target.parent.mkdir()
    leftover = target.with_name(f".a.txt.1.yaml.{os.getpid()}-0.tmp")
    leftover.write_text("a dead run's temp file", encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)

    staged = files.stage_file(target, "title: 讲话\n")
    files.publish_staged([(staged, target)])

    assert target.read_text(encoding="utf-8") == "title: 讲话\n"
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert leftover.read_text(encoding="utf-8") == "a dead run's temp file"
    assert sorted(p.name for p in target.parent.iterdir()) == [leftover.name, target.name]


def test_a_record_in_a_folder_not_made_yet_gets_its_folder(tmp_path):
    from flows.run_state import files

    target = tmp_path / "site" / "2024" / "a.txt.1.yaml"
    files.publish_staged([(files.stage_file(target, "title: 讲话\n"), target)], sync=False)
    again = target.with_name("b.txt.1.yaml")
    files.publish_staged([(files.stage_file(again, "title: 又一篇\n"), again)], sync=False)

    assert target.read_text(encoding="utf-8") == "title: 讲话\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt.1.yaml", "b.txt.1.yaml"]


def test_an_input_is_read_whole_up_to_one_byte_past_the_limit(tmp_path):
    from flows.run_state.batch import read_input

    path = tmp_path / "a.txt"
    path.write_bytes("同志们：".encode() * 100)

    whole, stat = read_input(path, max_bytes=10_000)
    cut, _ = read_input(path, max_bytes=99)

    assert whole == path.read_bytes() and stat.st_size == len(whole)
    assert cut == whole[:100]  # one byte more than allowed: enough to refuse it as too large


def test_an_empty_input_reads_as_no_bytes(tmp_path):
    from flows.run_state.batch import read_input

    (tmp_path / "empty.txt").touch()

    assert read_input(tmp_path / "empty.txt", max_bytes=10)[0] == b""
