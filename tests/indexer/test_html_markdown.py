import pytest

from kb.indexer.html_markdown import html_to_markdown
from kb.indexer.htmltree import HtmlProblem, parse_html


def md(html_text):
    converted = html_to_markdown(html_text)
    assert converted.problems == ()
    return converted.markdown


@pytest.mark.parametrize(
    "html_text, expected",
    [
        ("<h3>A</h3><h4>B</h4>", "## A\n\n### B"),
        ("<h2>A</h2><h3>B</h3><h4>C</h4><h5>D</h5>", "## A\n\n### B\n\n#### C\n\n##### D"),
        # levels are ranked, so a skipped level leaves no gap
        ("<h3>A</h3><h5>B</h5>", "## A\n\n### B"),
        ("<h4>only</h4>", "## only"),
    ],
)
def test_the_top_heading_level_becomes_a_session(html_text, expected):
    assert md(html_text) == expected


def test_text_before_the_first_heading_stays_first():
    converted = html_to_markdown("<p>intro</p><h3>S</h3><p>notes</p>")
    assert converted.markdown == "intro\n\n## S\n\nnotes"
    assert converted.has_headings
    assert not html_to_markdown("<p>x</p>").has_headings


def test_paragraphs_line_breaks_and_whitespace():
    html_text = "<p>一行目<br />\n  二行目</p>\n<p>a\n  b\tc\u3000d</p>"
    assert md(html_text) == "一行目\n二行目\n\na b c\u3000d"


def test_nested_lists():
    html_text = (
        "<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul>"
        "<ol><li>one</li><li>two<ol><li>deep</li></ol></li></ol>"
    )
    assert md(html_text) == "- a\n  - a1\n  - a2\n- b\n\n1. one\n2. two\n   1. deep"


def test_list_items_left_open_and_lists_nested_without_items():
    html_text = "<ul><li>a<li>b<ul><li>b1</ul></ul><ul><li>x</li><ul><li>y</li></ul></ul>"
    assert md(html_text) == "- a\n- b\n  - b1\n\n- x\n  - y"


def test_ordered_list_start():
    assert md('<ol start="3"><li>c</li><li>d</li></ol>') == "3. c\n4. d"


def test_code_blocks_keep_their_text_and_language():
    html_text = (
        '<pre class="code lang-python" data-lang="python" data-unlink>'
        '<span class="synStatement">def</span> f():\n    return &quot;&lt;x&gt;&quot;\n</pre>'
        "<pre>plain ``` fence</pre>"
    )
    assert md(html_text) == (
        '```python\ndef f():\n    return "<x>"\n```\n\n````\nplain ``` fence\n````'
    )


def test_keyword_links_are_unwrapped_and_other_links_kept():
    html_text = (
        '<p><a class="keyword" href="https://d.hatena.ne.jp/keyword/Python">Python</a> と '
        '<a href="https://example.com/x">例</a> と <a href="https://example.com/">'
        "https://example.com/</a></p>"
    )
    assert md(html_text) == "Python と [例](https://example.com/x) と https://example.com/"


def test_embed_card_becomes_one_link():
    html_text = (
        '<p><iframe src="https://hatenablog-parts.com/embed?url=https%3A%2F%2Fconf.example.com%2F"'
        ' title="Conf" class="embed-card embed-webcard" scrolling="no"></iframe>'
        '<cite class="hatena-citation"><a href="https://conf.example.com/">conf.example.com</a>'
        "</cite></p>"
    )
    assert md(html_text) == "[Conf](https://conf.example.com/)"


def test_a_citation_alone_stays_a_link():
    html_text = '<cite class="hatena-citation"><a href="https://a.example/">a.example</a></cite>'
    assert md(html_text) == "[a.example](https://a.example/)"


def test_fotolife_figure_keeps_image_and_caption():
    html_text = (
        '<figure class="figure-image figure-image-fotolife" title="図1">'
        '<span itemscope itemtype="http://schema.org/Photograph">'
        '<img src="https://cdn-ak.f.st-hatena.com/images/fotolife/e/ex/20200619/20200619132403.png"'
        ' alt="f:id:ex:20200619132403p:plain" title="" class="hatena-fotolife" itemprop="image">'
        "</span><figcaption>図1 の説明</figcaption></figure>"
    )
    assert md(html_text) == (
        "![](https://cdn-ak.f.st-hatena.com/images/fotolife/e/ex/20200619/20200619132403.png)\n"
        "図1 の説明"
    )


def test_image_in_a_link_to_its_photo_page_is_kept_as_an_image():
    html_text = (
        '<p><a href="https://f.hatena.ne.jp/ex/1" class="hatena-fotolife">'
        '<img src="//cdn.example/1.png" alt="f:id:ex:20200619132403p:plain"></a><br>caption</p>'
        '<p><img src="https://cdn.example/2.png" alt="a chart"></p>'
    )
    assert md(html_text) == (
        "![](https://cdn.example/1.png)\ncaption\n\n![a chart](https://cdn.example/2.png)"
    )


def test_footnotes_are_kept_as_text():
    html_text = (
        '<p>本文<a href="#f-1" name="fn-1" title="注">*1</a></p>'
        '<div class="footnote"><p class="footnote"><a href="#fn-1" name="f-1" '
        'class="footnote-number">*1</a><span class="footnote-delimiter">:</span>'
        '<span class="footnote-text">注の本文</span></p></div>'
    )
    assert md(html_text) == "本文*1\n\n*1: 注の本文"


def test_raw_html_is_reduced_to_text():
    html_text = (
        '<div class="section"><p><span style="color:red">赤</span><font>字</font>'
        "<script>alert(1)</script><style>p{}</style></p><!-- more --></div>"
    )
    assert md(html_text) == "赤字"


def test_emphasis_code_quotes_tables_and_rules():
    html_text = (
        "<p><strong>強調</strong> <em>em</em> <code>x = 1</code></p>"
        "<blockquote><p>引用</p><p>二段落</p></blockquote><hr>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2|3</td></tr></table>"
    )
    assert md(html_text) == (
        "**強調** *em* `x = 1`\n\n> 引用\n>\n> 二段落\n\n* * *\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2\\|3 |"
    )


def test_text_lines_starting_with_a_hash_do_not_become_headings():
    assert md("<p>#decode20 のメモ</p>") == "\\#decode20 のメモ"


def test_entities_are_decoded():
    assert md("<p>&lt;div&gt; &amp; &#x3042;</p>") == "<div> & あ"


@pytest.mark.parametrize(
    "html_text, problem",
    [
        ("<p>a</p>\n<div><p>b</p>", HtmlProblem(2, "<div> is never closed")),
        ("<p>a</p>\n\n</span>", HtmlProblem(3, "</span> closes nothing")),
        ("<pre>code", HtmlProblem(1, "<pre> is never closed")),
    ],
)
def test_broken_html_is_reported_with_its_line(html_text, problem):
    assert html_to_markdown(html_text).problems == (problem,)


def test_optional_end_tags_and_stray_paragraph_ends_are_not_problems():
    _, problems = parse_html("<ul><li>a<li>b</ul><p>x<p>y</p></p><table><tr><td>1</table>")
    assert problems == []


def _shape(element):
    return [c if isinstance(c, str) else (c.tag, _shape(c)) for c in element.children]


@pytest.mark.parametrize("html_text, shape", [
    ("<b>x<i>y</b>z</i>", [("b", ["x", ("i", ["y"])]), ("i", ["z"])]),
    ('<a href="/u">x<b>y</a>z</b>', [("a", ["x", ("b", ["y"])]), ("b", ["z"])]),
    ("<p><em>x</p><p>y</p>", [("p", [("em", ["x"])]), ("p", [("em", ["y"])])]),
    ("<div><b>x</div>y", [("div", [("b", ["x"])]), ("b", ["y"])]),
])
def test_misnested_formatting_reads_as_browsers_read_it(html_text, shape):
    root, problems = parse_html(html_text)
    assert (_shape(root), problems) == (shape, [])


def test_html_nested_past_the_limit_is_one_problem():
    converted = html_to_markdown("<p>a</p>\n" + "<div>" * 500 + "x" + "</div>" * 500)
    assert converted.problems == (HtmlProblem(2, "elements nest more than 100 deep"),)
