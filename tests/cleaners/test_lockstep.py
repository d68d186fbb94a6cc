"""Cleaning inputs stage by stage (`cleaners.lockstep`, `clean_inputs`) gives what cleaning them one
by one gives, runs each stage over every input before the next, and keeps one input's failure
to itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaners.lockstep import run_alone, run_in_lockstep
from cleaners.pipeline import clean_input, clean_inputs
from cleaners.records import dump_record
from cleaners.settings import Settings

CASES = Path(__file__).parent / "cases" / "noise"

SPEECH = """在全县安全生产工作会议上的讲话
（2025年3月6日）
同志们：
今天召开会议，主要任务是总结去年工作、部署今年任务。
一、提高认识，压实责任
安全生产事关群众生命财产安全，我们必须高度重视，切实抓紧抓好。
二、突出重点，狠抓落实
一是抓好隐患排查，二是抓好宣传教育，确保全年不发生较大事故。
三、强化担当，层层压实工作责任
各级领导干部要带头深入一线，对排查出的隐患建立台账，明确责任人和整改时限，逐项销号，发现问题及时解决。对责任不落实、整改不到位的，要严肃追责问责，决不姑息。
同志们，安全生产责任重于泰山。让我们以更加务实的作风，确保全县安全生产形势持续稳定。
"""
SECOND = """在全市防汛抗旱工作部署会上的讲话
（2025年5月8日）
同志们：
汛期将至，今天把大家召集起来，专门研究部署今年的防汛抗旱工作。
一、立足防大汛，做好各项准备
各地要对水库、堤防、涵闸逐一检查，发现险情及时处置，物资队伍提前到位。
二、坚持抗大旱，保障群众用水
要统筹调度水源，优先保障城乡居民生活用水，兼顾农业灌溉。旱情较重的乡镇要提前谋划应急送水，必要时启用备用水源，确保群众喝上放心水。
三、压实防汛责任，确保安全度汛
各级防汛责任人要上岗到位，汛期严格执行二十四小时值班和领导带班制度，遇到险情第一时间报告、第一时间处置，坚决防止因工作不到位造成人员伤亡。
同志们，防汛抗旱事关人民群众生命财产安全，大家要以高度负责的态度抓好各项工作。
"""


def toy(name: str, log: list, fail_at: str = ""):
    for stage in ("read", "tidy", "write"):
        if stage == fail_at:
            raise ValueError(f"{name} failed at {stage}")
        log.append((name, stage))
        yield stage
    return name.upper()


def test_each_stage_runs_over_every_input_before_the_next_stage():
    log: list = []
    runs = run_in_lockstep([toy("a", log), toy("b", log)])
    assert log == [("a", "read"), ("b", "read"), ("a", "tidy"), ("b", "tidy"), ("a", "write"), ("b", "write")]
    assert [run.outcome for run in runs] == ["A", "B"]
    assert all(set(run.seconds) == {"read", "tidy", "write"} for run in runs)


def test_an_input_that_fails_keeps_its_exception_and_the_others_finish():
    log: list = []
    runs = run_in_lockstep([toy("a", log), toy("b", log, fail_at="tidy"), toy("c", log)])
    assert [run.outcome for run in (runs[0], runs[2])] == ["A", "C"]
    assert isinstance(runs[1].outcome, ValueError) and str(runs[1].outcome) == "b failed at tidy"
    assert ("b", "write") not in log and ("c", "write") in log
    with pytest.raises(ValueError, match="a failed at read"):
        run_alone(toy("a", [], fail_at="read"))


def inputs() -> list[tuple[bytes, str]]:
    """Own fixtures in the forms a corpus holds: encodings, a web page, a compilation, refusals."""
    found = [(path.read_bytes(), f"site/{path.name}") for path in sorted(CASES.iterdir())]
    found += [
        (SPEECH.encode("gb18030"), "site/gbk.txt"),
        (SPEECH.encode("utf-16"), "other/utf16.txt"),
        (f"会议讲话稿范文两篇\n范文一\n{SPEECH}范文二\n{SECOND}".encode("utf-8-sig"), "site/heji.txt"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "site/photo.txt"),
        (b"", "site/empty.txt"),
        ("首页 | 讲话稿\n浏览量：45\n".encode(), "site/chrome.txt"),
    ]
    return found


def summary(result) -> tuple:
    records = [dump_record(record) for record in result.records]
    facts = (result.rel_path, result.sha256, result.site, result.observed, result.refusal, result.removals)
    return facts, records


def test_cleaning_stage_by_stage_gives_what_cleaning_one_by_one_gives():
    settings = Settings()
    learned = {"site": frozenset({"首页 | 讲话稿"})}
    one_by_one = [clean_input(data, name, settings, learned) for data, name in inputs()]
    together = clean_inputs(inputs(), settings, learned)
    assert [summary(r) for r in together] == [summary(r) for r in one_by_one]
    assert sum(bool(r.records) for r in together) >= 8 and len(together[-4].records) == 2
    assert {r.refusal.reason for r in together if r.refusal} == {"binary", "empty", "no_speech"}
    assert set(together[-4].seconds) >= {"decode", "extract", "noise", "structure", "metadata", "record"}
