"""`explain` follows one input through the stages and says what each dropped and rewrote."""

from cleaners.explain import describe, explain_input

PAGE = """<html><head><title>在全县作风建设推进会上的讲话_某某文库</title></head><body>
<div class="nav">首页 | 讲话稿 | 党课 | 会员中心</div>
<div class="article"><h1>在全县作风建设推进会上的讲话</h1>
<p>浏览量：128</p>
<p>同志们:</p>
<p>今天召开全县作风建设推进会,主要任务是总结前一阶段作风建设工作,部署下一步重点任务。刚才,几位同志作了发言,讲得很好。</p>
<p>一、提高思想认识</p>
<p>作风建设永远在路上。各级党组织要把作风建设摆在突出位置,以钉钉子精神抓好落实,推动干部作风持续好转,让群众切实感受到变化。</p>
<p>二、突出问题导向</p>
<p>要聚焦群众反映强烈的突出问题,开展专项整治,做到发现一起、查处一起、通报一起,以严明的纪律推动作风建设走深走实。</p>
</div><div class="foot">版权所有 某某文库 ICP备12345678号</div></body></html>"""


def test_each_stage_says_what_it_dropped_and_why():
    text = "\n".join(describe(explain_input(PAGE.encode("utf-8"), "zuofeng.html")))
    assert "extract:" in text and "boilerplate:" in text and "punctuation:" in text
    assert "[outside_main_content] 首页 | 讲话稿 | 党课 | 会员中心" in text
    assert "[site_chrome] 浏览量：128" in text


def test_punctuation_rewrites_name_their_steps():
    lines = describe(explain_input(PAGE.encode("utf-8"), "zuofeng.html"))
    at = lines.index("  ~ [marks] 同志们:")
    assert lines[at + 1] == "    → 同志们："


def test_reflow_says_which_lines_it_joined():
    body = (
        "今天我们召开全县安全生产工作会议主要任务是总结去年工作分析当前形势部署今年任务各乡镇各部门"
        "要切实扛起责任把风险隐患消除在萌芽状态确保全县安全形势持续稳定我们要坚持人民至上生命至上"
        "以更加务实的作风抓好各项工作。"
    )
    lines24 = [body[i : i + 24] for i in range(0, len(body), 24)]
    wrapped = "\n".join(["在全县安全生产会议上的讲话", "同志们：", *lines24])
    lines = describe(explain_input(wrapped.encode("utf-8"), "anquan.txt"))
    assert "reflow: 7 lines → 3 (4 joined to the line before)" in lines
    assert f"  ⇇ joined to line 2: {body[24:48]}" in lines


def test_the_records_or_the_refusal_close_the_explanation():
    lines = describe(explain_input(PAGE.encode("utf-8"), "zuofeng.html"))
    assert lines[-1].startswith("record 1: 在全县作风建设推进会上的讲话 |")
    refused = describe(explain_input(b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.txt"))
    assert refused[-1].startswith("refused: binary:")
