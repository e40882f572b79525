"""Notes to safe HTML, snippets, and the chart geometry."""

import pytest

from kb.web.charts import bar_chart
from kb.web.render import NoteRenderer, excerpt, safe_snippet, safe_url


@pytest.fixture(scope="module")
def render():
    return NoteRenderer().render


def test_markdown_renders_lists_tables_and_images(render):
    html = render("### 見出し\n\n- 一つ\n- 二つ\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                  "![図](https://example.com/a.png)\n")
    assert "<h3>見出し</h3>" in html
    assert "<li>一つ</li>" in html and "<td>1</td>" in html
    assert ('<img src="https://example.com/a.png" alt="図" loading="lazy" '
            'referrerpolicy="no-referrer" />') in html


def test_raw_html_is_text(render):
    html = render('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">')
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                    "java\tscript:alert(1)", "vbscript:x", "data:text/html,x",
                                    "javascript&#58;alert(1)"])
def test_unsafe_link_targets_are_not_links(render, target):
    html = render(f"[click]({target}) ![img]({target})")
    assert "<a " not in html and "<img " not in html


def test_safe_links_get_rel(render):
    assert render("[例](https://example.com)") == (
        '<p><a href="https://example.com" rel="nofollow noopener noreferrer">例</a></p>\n')
    assert render("[内部](/topics/gpu)") == '<p><a href="/topics/gpu">内部</a></p>\n'


@pytest.mark.parametrize("url, ok", [("https://a.example/x", True), ("/x", True),
                                     ("mailto:a@example.com", True), ("javascript:x", False),
                                     (" JAVASCRIPT:x", False), ("data:x", False)])
def test_safe_url(url, ok):
    assert safe_url(url) is ok


def test_snippets_escape_everything_but_their_marks():
    from kb.snippets import Snippet

    cut = Snippet((("a <b> ", False), ("GPU", True), (" <script>x</script>", False)), True)
    assert safe_snippet(cut) == "…a &lt;b&gt; <mark>GPU</mark> &lt;script&gt;x&lt;/script&gt;"
    assert safe_snippet(Snippet((("<i>", True),))) == "<mark>&lt;i&gt;</mark>"


def test_excerpt_cuts_on_one_line():
    assert excerpt("一行目\n二行目", 20) == "一行目 二行目"
    assert excerpt("あ" * 30, 10) == "あ" * 9 + "…"


def test_bar_chart_geometry():
    chart = bar_chart([("2019", 4), ("2020", 0), ("2021", 2)], lambda s: f"{len(s)}年分",
                      url=lambda year: f"/search?year={year}")
    assert chart.description == "3年分"
    tall, empty, half = chart.bars
    assert tall.height == chart.baseline - 22 and tall.y == 22
    assert half.height == tall.height / 2
    assert empty.height == 0 and empty.url is None
    assert tall.url == "/search?year=2019"
    assert tall.center == 70 and tall.x + tall.width / 2 == tall.center
    assert bar_chart([], str) is None
