"""Zenn and markdown-it containers in notes render as boxes, safely."""

from kb.web.render import NoteRenderer


def render(markdown):
    return str(NoteRenderer().render(markdown))


def test_zenn_message_and_alert_are_notes():
    html = render(":::message\nGPU の**話**\n:::\n\n:::message alert\n注意\n:::\n")
    assert html == ('<div class="note-box note-box-message" role="note">\n'
                    "<p>GPU の<strong>話</strong></p>\n</div>\n"
                    '<div class="note-box note-box-alert" role="note">\n<p>注意</p>\n</div>\n')


def test_details_fold_under_their_title():
    html = render(":::details 設定の例\n- a\n- b\n:::\n")
    assert html.startswith('<details class="note-box note-box-details"><summary>設定の例</summary>\n<ul>')
    assert html.endswith("</ul>\n</details>\n")
    assert "<summary>詳細</summary>" in render(":::details\n中身\n:::\n")


def test_markdown_it_containers_keep_their_title_and_kind():
    html = render("::: warning 気をつけること\n本文\n:::\n")
    assert html.startswith('<div class="note-box note-box-warning" role="note">\n'
                           '<p class="note-box-title">気をつけること</p>\n<p>本文</p>')
    assert render("::: info\nx\n:::\n").startswith('<div class="note-box note-box-info"')
    # a name kb has no style for is still a box, without an invented class
    assert render(":::column\nx\n:::\n").startswith('<div class="note-box" role="note">')


def test_boxes_nest_when_the_outer_fence_is_longer():
    html = render("::::details 外\n:::message\n内\n:::\n::::\n")
    assert html == ('<details class="note-box note-box-details"><summary>外</summary>\n'
                    '<div class="note-box note-box-message" role="note">\n<p>内</p>\n</div>\n'
                    "</details>\n")


def test_titles_and_contents_stay_text():
    html = render(':::details <img src=x onerror=alert(1)>\n<script>alert(2)</script>\n:::\n')
    assert "<img" not in html and "<script" not in html
    assert "<summary>&lt;img src=x onerror=alert(1)&gt;</summary>" in html
    html = render(':::message" onmouseover="alert(1)\nx\n:::\n')
    assert html.startswith('<div class="note-box note-box-message" role="note">\n'
                           '<p class="note-box-title">&#34; onmouseover=&#34;alert(1)</p>')


def test_markers_in_code_and_a_lone_fence_stay_as_written():
    assert render("```\n:::message\n```\n") == "<pre><code>:::message\n</code></pre>\n"
    assert render("::: \ntext\n") == "<p>:::\ntext</p>\n"
