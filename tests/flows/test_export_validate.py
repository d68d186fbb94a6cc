"""Records as downstream tools see them: schema validation and JSON Lines export."""

import io
import json

import pytest

from cleaners.records import dump_record, load_schema
from flows.record_tools.export import export_folder
from flows.record_tools.validate import find_problems


def _record(**changes):
    record = {
        "schema_version": 1,
        "id": "0123456789abcdef",
        "title": "在全县农业工作会议上的讲话",
        "date": "2025-03-02",
        "occasion": "全县农业工作会议",
        "genre": "讲话",
        "speaker": None,
        "site": None,
        "truncated": False,
        "char_count": 40,
        "redactions": 0,
        "keywords": ["农业", "粮食安全", "高标准农田", "种业", "农民增收"],
        "source": {"path": "a.txt", "sha256": "a" * 64, "encoding": "gb18030", "encoding_confidence": 0.9},
        "sections": [
            {"heading": None, "level": 0, "paragraphs": ["同志们：", "今天召开会议。"]},
            {"heading": "一、稳住粮食生产", "level": 1, "paragraphs": ["要稳面积。"]},
            {"heading": "（一）抓好春耕", "level": 2, "paragraphs": ["早谋划。", "早部署。"]},
            {"heading": "二、促进农民增收", "level": 1, "paragraphs": ["要拓渠道。"]},
        ],
        "removed": [{"text": "浏览量：9", "reason": "site_chrome", "stage": "boilerplate"}],
    }
    record.update(changes)
    return record


@pytest.fixture
def clean(tmp_path):
    (tmp_path / "a.txt.1.yaml").write_text(dump_record(_record()), encoding="utf-8")
    (tmp_path / "_jianggao").mkdir()
    (tmp_path / "_jianggao" / "report.yaml").write_text("inputs: 1\n", encoding="utf-8")
    return tmp_path


def test_schema_is_valid_json_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(load_schema())


def test_a_good_record_passes_and_run_state_is_not_a_record(clean):
    assert list(find_problems(clean)) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [({"date": "2025年3月2日"}, "date"), ({"truncated": "no"}, "truncated"), ({"id": "x"}, "id")],
)
def test_a_bad_field_is_named_with_its_file(clean, change, field):
    (clean / "b.txt.1.yaml").write_text(dump_record(_record(**change)), encoding="utf-8")
    problems = list(find_problems(clean))
    assert len(problems) == 1 and problems[0].startswith(f"b.txt.1.yaml: {field}:")


def test_paragraph_export_carries_metadata_and_position(clean):
    out = io.StringIO()
    assert export_folder(clean, "paragraph", out) == 6
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    spring = [r for r in rows if r["text"] == "早部署。"][0]
    assert spring["section_path"] == ["一、稳住粮食生产", "（一）抓好春耕"]
    assert spring["paragraph_index"] == 1 and spring["level"] == 2
    assert spring["id"] == "0123456789abcdef" and spring["keywords"][0] == "农业"
    second = [r for r in rows if r["text"] == "要拓渠道。"][0]
    assert second["section_path"] == ["二、促进农民增收"]


def test_speech_and_section_exports(clean):
    out = io.StringIO()
    assert export_folder(clean, "speech", out) == 1
    speech = json.loads(out.getvalue())
    assert speech["text"].startswith("同志们：\n今天召开会议。\n一、稳住粮食生产")
    out = io.StringIO()
    assert export_folder(clean, "section", out) == 4
