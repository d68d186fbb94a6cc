"""The date, credits and truncation of whole pages: synthetic pages of the genre through the real pipeline.

Each case of `cases/page_dates.yaml` puts a header line, a meta tag, a URL, a footer or a trap
(copyright years, related links, a "today" banner, dates in sentences) around the same article,
and says what the record must state.
"""

from pathlib import Path

import pytest
import yaml

from cleaners.dates import date_only, dateline_date, subtitle_date, url_date
from cleaners.pipeline import clean_input
from cleaners.settings import Settings

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "page_dates.yaml").read_text(encoding="utf-8"))
TITLE = "全县乡村振兴工作推进会召开"
ARTICLE = (
    "会议强调，各乡镇要把乡村振兴作为当前工作的重中之重，坚持规划先行、产业为本、人才为要，"
    "统筹推进农村人居环境整治和基础设施建设，切实增强群众的获得感和幸福感。",
    "会议指出，全县上下要坚持问题导向，聚焦群众急难愁盼，补齐农村公共服务短板，"
    "扎实推进农村改厕、生活垃圾和污水治理，持续改善村容村貌，让乡村既有颜值又有内涵。",
    "会议要求，各级各部门要压实工作责任，加强统筹协调，强化督查考核，"
    "以钉钉子精神抓好各项任务落实，确保全年目标任务圆满完成，为全县高质量发展作出新的更大贡献。",
)
PAGE = """{wrapper}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_某某县人民政府网</title>{head}</head>
<body>
<div class="nav"><a href="/">首页</a> | <a href="/xw/">要闻动态</a> | <a href="/zw/">政务公开</a></div>
{top}
<div class="article">
<h1>{title}</h1>
{before}
<div class="content">
{paragraphs}
</div>
{after}
</div>
</body></html>
"""


def build_page(case: dict) -> str:
    paragraphs = [*case.get("lead", []), *ARTICLE, *case.get("tail", [])]
    return PAGE.format(
        wrapper=case.get("wrapper", ""),
        title=TITLE,
        head=case.get("head", ""),
        top="\n".join(case.get("top", [])),
        before="\n".join(case.get("before", [])),
        paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs),
        after="\n".join(case.get("after", [])),
    )


def clean(case: dict) -> dict:
    result = clean_input(build_page(case).encode("utf-8"), "xw/page.html", Settings())
    assert result.refusal is None, result.refusal
    assert len(result.records) == 1
    return result.records[0]


@pytest.mark.parametrize("case", [c for c in CASES if "date" in c], ids=lambda c: c["name"])
def test_page_date(case):
    assert clean(case)["date"] == case["date"]


@pytest.mark.parametrize("case", [c for c in CASES if "truncated" in c], ids=lambda c: c["name"])
def test_page_truncated(case):
    assert clean(case)["truncated"] is case["truncated"]


CREDITED = [c for c in CASES if {"outlet", "author", "editor"} & c.keys()]


@pytest.mark.parametrize("case", CREDITED, ids=lambda c: c["name"])
def test_page_credits(case):
    record = clean(case)
    for field in ("outlet", "author", "editor"):
        if field in case:
            assert record[field] == case[field], field


def test_the_plain_page_states_no_date_and_is_whole():
    record = clean({})
    assert record["date"] is None
    assert record["truncated"] is False
    assert (record["outlet"], record["author"], record["editor"]) == (None, None, None)


def test_dateline_shapes():
    assert dateline_date("发布时间：2026/1/30 10:20　来源：网络整理") == "2026-01-30"
    assert dateline_date("〓 网易娱乐明星话题发布时间 2005/03/15 22:36:13 by 张三 〓") == "2005-03-15"
    assert dateline_date("作者：李四 时间：2005-08-22 19:13:18") == "2005-08-22"
    assert dateline_date("http://www.example.net 2005年03月21日 11:21 《理财周刊》") == "2005-03-21"
    assert dateline_date("2020-02-19 20:29:58 来源：半月谈") == "2020-02-19"
    # A sentence, a banner, a headline beside a date, another event's date: no dateline.
    assert dateline_date("2020年2月17日，医护人员在医院为群众接种疫苗。") is None
    assert dateline_date("2006年12月27日（京港台时间）") is None
    assert dateline_date("全县召开春耕生产部署动员大会 2024-03-01") is None
    assert dateline_date("截止日期：2024年4月20日") is None
    assert dateline_date("2024年4月1日至2024年4月20日") is None


def test_own_date_shapes():
    assert subtitle_date("——2017年3月5日在第十二届全国人民代表大会第五次会议上") == "2017-03-05"
    assert subtitle_date("（2023年3月13日第十四届全国人民代表大会第一次会议通过）") == "2023-03-13"
    assert subtitle_date("（二〇二二年十月十六日）") == "2022-10-16"
    assert subtitle_date("2023年3月13日，会议通过了决议。") is None
    assert date_only("2022年1月27日") == "2022-01-27"
    assert date_only("（2025年6月18日）") == "2025-06-18"
    assert date_only("2022年1月27日，县政府召开常务会议。") is None


def test_url_dates():
    assert url_date("http://www.example.cn/politics/2020-02/19/c_1125597921.htm") == "2020-02-19"
    assert url_date("http://business.example.com/20040716/n221031086.shtml") == "2004-07-16"
    assert url_date("http://www.example.gov.cn/xw/202202/t20220213_552130.html") == "2022-02-13"
    assert url_date("http://beijing.example.com/3825/2005/03/06/1060@2538939.htm") == "2005-03-06"
    assert url_date("http://www.example.com/military/tech/2001/002/Tech253.htm") is None
    assert url_date("http://www.example.cn/c_1125597921.htm") is None
    assert url_date("http://www.example.cn/news/20201312/1.htm") is None  # no 13th month
    assert url_date("") is None
