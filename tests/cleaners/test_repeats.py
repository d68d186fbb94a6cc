"""A paragraph repeated many times in one input is kept once; ordinary repeats are left alone."""

from cleaners.document import Line
from cleaners.pipeline import clean_input
from cleaners.repeats import drop_repeated_paragraphs
from cleaners.settings import Settings

LOOPED = "要坚持问题导向，聚焦突出问题，建立台账，逐项销号，确保整改工作取得实效。"


OPENING = [
    "今天召开全县作风建设推进会，主要任务是总结前段工作，部署下步任务。",
    "一年来，全县各级各部门认真落实县委部署，作风建设取得了明显成效，群众满意度持续提升。",
    "同时也要清醒看到，一些地方和部门仍然存在形式主义、官僚主义问题，有的干部担当精神不足。",
    "广大党员干部要带头学习，在学懂弄通做实上下功夫，不断提高履职本领和服务水平。",
]


def speech(body: list[str]) -> str:
    lines = ["在全县作风建设推进会上的讲话", "（2025年3月2日）", "同志们：", *OPENING, *body, "谢谢大家！"]
    return "\n".join(lines) + "\n"


def test_a_paragraph_looped_two_thousand_times_is_kept_once():
    body = [LOOPED] * 2000
    body += ["各级党组织要切实扛起主体责任，层层传导压力，确保各项任务落到实处。"]
    result = clean_input(speech(body).encode(), "a.txt", Settings())
    (record,) = result.records
    paragraphs = [p for s in record["sections"] for p in s["paragraphs"]]
    assert paragraphs.count(LOOPED) == 1
    assert paragraphs[-2:] == [
        "各级党组织要切实扛起主体责任，层层传导压力，确保各项任务落到实处。",
        "谢谢大家！",
    ]
    assert result.removals["repeated_paragraph"] == 1999
    assert {r["reason"] for r in record["removed"]} == {"header_line", "repeated_paragraph"}  # the date line


def test_salutations_short_lines_and_a_paragraph_quoted_twice_stay():
    lines = [
        Line(t, i)
        for i, t in enumerate(["同志们：", LOOPED, "同志们：", LOOPED, "同志们：", "谢谢大家！"] * 1)
    ]
    kept, removed = drop_repeated_paragraphs(lines)
    assert kept == tuple(lines) and removed == ()


def test_removals_keep_the_first_copy_and_name_each_later_one():
    lines = [Line(LOOPED, 0), Line("好。", 1), Line(LOOPED, 2), Line(LOOPED, 3)]
    kept, removed = drop_repeated_paragraphs(lines)
    assert [line.index for line in kept] == [0, 1]
    assert [(r.index, r.reason, r.stage) for r in removed] == [(2, "repeated_paragraph", "repeats")] + [
        (3, "repeated_paragraph", "repeats")
    ]
