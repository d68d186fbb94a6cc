"""The main-content finder on made-up pages of each hard class: a page wrapped in one `<form>`,
markup that closes `</html>` early, jammer text and hidden copies, old table layouts, blog and
forum pages with several posts."""

from __future__ import annotations

from cleaners.extract import extract_lines

P1 = "今天我们召开全县秋冬季森林防火工作会议，主要任务是分析当前形势，部署下一阶段的防火工作。"
P2 = "各乡镇要落实属地责任，加强野外用火管理，严禁在林区及周边焚烧秸秆、烧荒烧炭，做到不漏一户。"
P3 = "护林员要每天巡山护林，发现火情第一时间报告，确保打早、打小、打了，坚决守住不发生重大火灾的底线。"


def kept(html: str) -> list[str]:
    return [line.text for line in extract_lines(html).lines]


def reasons(html: str) -> dict[str, str]:
    return {r.text: r.reason for r in extract_lines(html).removed}


def test_page_wrapped_in_one_form_keeps_its_article() -> None:
    page = (
        '<html><body><form name="Form1" method="post" action="a.aspx">'
        '<input type="hidden" name="__VIEWSTATE" value="x">'
        '<div id="menu"><a href="/">首页</a> <a href="/b">博客</a></div>'
        f'<div class="post"><h2>森林防火会议讲话</h2><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>'
        '<div class="comment">发表评论<textarea name="c">请在这里输入您的评论内容，文明发言。</textarea>'
        '<select><option>匿名用户</option></select><button>提交评论</button></div>'
        "</form></body></html>"
    )
    texts = kept(page)
    assert texts == ["森林防火会议讲话", P1, P2, P3]
    everything = " ".join([*texts, *reasons(page)])
    assert "请在这里输入" not in everything and "匿名用户" not in everything and "提交评论" not in everything


def test_markup_closing_html_early_is_read_to_its_end() -> None:
    page = (  # an included header fragment ends the page, then the article follows
        '<html><head><title>会议讲话</title></head><body><div class="top">某某县人民政府 网站首页</div>'
        "</body></html>"
        f'<div class="position">当前位置：首页 > 讲话</div><div class="content"><p>{P1}</p><p>{P2}</p>'
        f'<p>{P3}</p></div><div class="foot">版权所有 某某县人民政府</div></body></html>'
    )
    texts = kept(page)
    assert texts == [P1, P2, P3]
    assert reasons(page)["版权所有 某某县人民政府"] == "outside_main_content"


def test_jammer_text_inside_a_forum_post_is_dropped_as_hidden() -> None:
    post = (
        f'<td class="t_msgfont">同志们<font class="jammer">8 o8 _9 R0</font>：<br>'
        f'{P1[:20]}<span style="display:none">k9$ Q) w</span>{P1[20:]}<br>'
        f'{P2}<font style="font-size:0px;color:#FFF">3 X7 F. E+</font><br>{P3}</td>'
    )
    page = f"<html><body><table><tr>{post}</tr></table></body></html>"
    assert kept(page) == ["同志们：", P1, P2, P3]
    assert reasons(page) == {
        "8 o8 _9 R0": "hidden_text", "k9$ Q) w": "hidden_text", "3 X7 F. E+": "hidden_text",
    }


def test_visible_text_with_harmless_styles_is_kept() -> None:
    page = (
        '<html><body><div style="display:block;font-size:16px">'
        f'<p style="visibility:visible">{P1}</p><p style="font-size:0.9em">{P2}</p>'
        f'<p class="hiddenable">{P3}</p></div></body></html>'
    )
    assert kept(page) == [P1, P2, P3]


def test_hidden_copy_of_the_article_gives_it_once() -> None:
    article = f"<h1>全县秋冬季森林防火工作会议召开</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    page = (
        f'<html><body><div style="display: none;">{article}</div>'
        f'<div class="detail">{article}</div>'
        '<div class="related"><a href="/1">相关新闻一</a><a href="/2">相关新闻二</a></div></body></html>'
    )
    texts = kept(page)
    assert texts.count(P1) == 1 and texts == ["全县秋冬季森林防火工作会议召开", P1, P2, P3]
    assert "hidden_text" in reasons(page).values()


def test_page_whose_only_prose_is_hidden_keeps_it() -> None:
    page = (
        '<html><body><div class="nav"><a href="/">首页</a></div>'
        f'<div id="more" style="display:none"><p>{P1}</p><p>{P2}</p></div></body></html>'
    )
    assert kept(page) == [P1, P2]


def test_long_comment_thread_does_not_outweigh_a_short_post() -> None:
    reply = '<h4><a href="#c{n}">#</a> re: 森林防火 2005-01-0{n} 网友{n}</h4><p>{text}</p>'
    replies = "".join(
        reply.format(n=n % 9 + 1, text=f"说得很好，我们村今年也要把防火责任落实到每一户，谢谢第{n}条。")
        for n in range(30)
    )
    page = (
        f'<html><body><div id="main"><div class="post"><h2>森林防火随笔</h2><p>{P1}</p><p>{P2}</p></div>'
        f'<div id="comments"><h3>评论</h3>{replies}</div></div></body></html>'
    )
    extracted = extract_lines(page)
    assert [line.text for line in extracted.lines] == ["森林防火随笔", P1, P2]
    assert {r.reason for r in extracted.removed} == {"comments"}


def test_page_of_comments_only_is_still_read() -> None:
    page = f'<html><body><div class="commentlist"><p>{P1}</p><p>{P2}</p></div></body></html>'
    assert kept(page) == [P1, P2]


def blog_post(n: int, body: str) -> str:
    return (
        f'<tr><td><table class="post"><tr><td class="post-title">第{n}篇 随笔</td>'
        f"<td>2005-06-1{n} 05:42</td></tr><tr><td class=\"post-body\">{body}</td></tr>"
        f'<tr><td class="post-footer">由作者张贴 @ 2005-06-1{n} <a href="/c{n}">共 {n} 篇评论</a></td></tr>'
        "</table></td></tr>"
    )


def test_archive_page_of_several_posts_gives_the_first_post() -> None:
    posts = [f"{P1}<br>{P2}", f"{P3}<br>{P1}", f"{P2}<br>{P3}<br>{P1}<br>{P2}<br>{P3}", f"{P3}<br>{P2}"]
    page = (
        '<html><body><table><tr><td class="side"><a href="/">首页</a></td></tr>'
        + "".join(blog_post(n, body) for n, body in enumerate(posts, start=1))
        + "</table></body></html>"
    )
    assert kept(page) == [P1, P2]


def test_forum_thread_gives_the_opening_post() -> None:
    def post(n: int, text: str) -> str:
        return (
            f'<div id="post_{n}"><table><tr><td class="pls">会员{n} 积分 {n * 10}</td>'
            f'<td class="plc"><div class="pi">发表于 2024-3-{n} 09:0{n}</div>'
            f'<div class="t_fsz"><table><tr><td class="t_f" id="postmessage_{n}">{text}</td></tr></table>'
            "</div></td></tr></table></div>"
        )

    replies = "".join(post(n, f"{P3}<br>{P2}<br>{P1}<br>{P3}") for n in range(2, 5))
    page = f'<html><body><div id="postlist">{post(1, f"同志们：<br>{P1}")}{replies}</div></body></html>'
    assert kept(page) == ["同志们：", P1]


def test_three_similar_layout_cells_do_not_move_the_article() -> None:
    cell = '<td class="box"><table><tr><td><b>{title}</b><br>{text}</td></tr></table></td>'
    page = (
        "<html><body><table><tr>"
        + cell.format(title="通知公告", text=P3[:30] + "。")
        + cell.format(title="正文", text=f"{P1}<br>{P2}<br>{P3}")
        + cell.format(title="便民服务", text=P2[:30] + "。")
        + "</tr></table></body></html>"
    )
    assert kept(page) == ["正文", P1, P2, P3]


def test_link_boxes_inside_the_article_cell_are_pruned() -> None:
    related = "".join(f"<a href=/n{n}>·相关新闻标题第{n}条很长很长</a>（2005-04-0{n}）<br>" for n in range(6))
    page = (
        '<html><body><table><tr><td class="side"><a href="/">首页</a></td>'
        f"<td><b>全县召开森林防火会议</b><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        f'<table><tr><td>相关报道：</td></tr><tr><td>{related}</td></tr></table>'
        '<table><tr><td><a href="/s">发送给朋友</a></td><td><a href="/p">打印本文</a></td></tr></table>'
        f'<p>文中提到的<a href="/law">森林防火条例</a>，各地要认真学习，抓好贯彻落实。</p>'
        "</td></tr></table></body></html>"
    )
    texts = kept(page)
    assert texts[:4] == ["全县召开森林防火会议", P1, P2, P3]
    assert "文中提到的森林防火条例，各地要认真学习，抓好贯彻落实。" in texts
    assert not any("相关" in text or "发送给朋友" in text for text in texts)


def test_data_table_after_the_notice_text_is_taken_in_but_not_a_footer_table() -> None:
    rows = "".join(
        f"<tr><td>0{n} 森林防火</td><td>第{n}防火检查站</td><td>护林员{n}人</td></tr>" for n in range(1, 5)
    )
    page = (
        '<html><body><table><tr><td><table><tr><td class="nav"><a href="/">首页</a></td></tr></table>'
        f"<table><tr><td>{P1}<br>{P2}<br>附：各防火检查站人员安排</td></tr></table>"
        f'<table border="1">{rows}</table>'
        "</td></tr></table>"
        "<table><tr><td>版权所有：某某县林业局</td><td>地址：某某县林业路1号</td></tr>"
        "<tr><td>主办单位：某某县人民政府</td><td>备案号：某ICP备12345号</td></tr></table></body></html>"
    )
    texts = kept(page)
    assert texts[:3] == [P1, P2, "附：各防火检查站人员安排"]
    assert "第4防火检查站" in texts and "护林员1人" in texts
    assert reasons(page)["主办单位：某某县人民政府"] == "outside_main_content"


def test_paragraph_split_by_an_ad_table_inside_it_is_kept_whole() -> None:
    page = (
        '<html><body><table><tr><td class="cell"><div class="nav"><a href="/">首页</a></div>'
        f'<font id="zoom"><p>{P1}</p><p>{P2[:20]}<table><tr><td><a href="/ad">广告</a></td></tr></table>'
        f"{P2[20:]}</p><p>{P3}</p></font>"
        '<div class="tools"><a href="/p">打印</a> <a href="/c">关闭</a></div></td></tr></table></body></html>'
    )
    texts = kept(page)
    assert P2[20:] in texts and P1 in texts and P3 in texts


def test_short_news_item_is_cleaned_not_refused() -> None:
    from cleaners.pipeline import clean_input
    from cleaners.settings import Settings

    page = (
        "<html><head><title>县林业局开展防火宣传</title></head><body>"
        '<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        "<h1>县林业局开展防火宣传</h1><div class=\"info\">2024-03-05 来源：县林业局</div>"
        f'<div class="content"><p>{P1}</p><p>{P2}</p></div></body></html>'
    )
    result = clean_input(page.encode(), "news.html", Settings())
    assert result.refusal is None and len(result.records) == 1
    paragraphs = [p for s in result.records[0]["sections"] for p in s["paragraphs"]]
    assert any("森林防火工作会议" in p for p in paragraphs)


def test_page_without_text_of_its_own_is_refused() -> None:
    from cleaners.pipeline import clean_input
    from cleaners.settings import Settings

    page = (
        '<html><body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        "<p>对不起，您访问的页面不存在。</p><p>请返回首页。</p></body></html>"
    )
    result = clean_input(page.encode(), "gone.html", Settings())
    assert result.refusal is not None and result.refusal.reason == "no_speech"


def test_forum_post_whose_first_paragraph_sits_before_its_font_tag_is_kept_whole() -> None:
    page = (
        '<html><body><table><tr><td class="menu"><a href="/">论坛首页</a></td></tr>'
        f'<tr><td><br>{P1}<br><font size="3"><p>{P2}</p><p>{P3}</p><p>{P2}</p></font></td></tr>'
        "</table></body></html>"
    )
    assert kept(page) == [P1, P2, P3, P2]


def test_commentary_article_is_not_a_comment_section() -> None:
    page = (
        '<html><body><div class="nav"><a href="/">首页</a></div>'
        f'<div class="commentary-text"><p>{P1}</p><p>{P2}</p></div>'
        f'<div class="side"><p>{P3}</p></div></body></html>'
    )
    assert kept(page) == [P1, P2]


def test_second_visible_layout_copy_of_the_article_is_not_kept_twice() -> None:
    article = f"<h2>全县秋冬季森林防火工作会议召开</h2><p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    page = (
        f'<html><body><div class="wrap"><div class="article pc-only">{article}</div>'
        f'<div class="article-m mobile-only">{article}</div></div></body></html>'
    )
    assert kept(page).count(P2) == 1


def test_article_that_a_script_reveals_is_read_although_hidden() -> None:
    page = (  # a WeChat mirror: the body is hidden until the page's script shows it
        '<html><body><div class="profile">某某县融媒体中心官方公众号，发布本地权威资讯。</div>'
        '<h1 class="rich_media_title">全县秋冬季森林防火工作会议召开</h1>'
        f'<div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>{P1}</p>'
        f"<p>{P2}</p><p>{P3}</p></div></body></html>"
    )
    texts = kept(page)
    assert texts[-3:] == [P1, P2, P3]
    assert "hidden_text" not in reasons(page).values()
