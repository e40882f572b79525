"""The embed in a blog's frame, in Chromium: the README's heights, themes, the height script."""

import re
from pathlib import Path

import pytest

from tests.web.browsing import PHONE, require_browser, shoot

require_browser()
from tests.web.browsing import blog_site, browser, open_page, server  # noqa: E402,F401  (fixtures)

README = Path(__file__).resolve().parents[2] / "README.md"
WHITE, DARK_SURFACE = "rgb(255, 255, 255)", "rgb(28, 31, 35)"


def readme_heights():
    """{limit: height} from the README's table of iframe heights."""
    text = README.read_text(encoding="utf-8")
    limits = re.search(r"^\s*\| limit\s*\|(.*)\|\s*$", text, re.M).group(1)
    heights = re.search(r"^\s*\| height\s*\|(.*)\|\s*$", text, re.M).group(1)
    return dict(zip((int(v) for v in limits.split("|")), (int(v) for v in heights.split("|"))))


def frame_fits(frame):
    """Whether the list, its last session and its すべてを見る link are inside the frame."""
    return frame.evaluate("""() => {
        const bottom = e => e.getBoundingClientRect().bottom;
        const items = document.querySelectorAll('.embed-list li');
        const more = document.querySelector('.embed-more a');
        return document.documentElement.scrollHeight <= innerHeight
            && (!items.length || bottom(items[items.length - 1]) <= innerHeight)
            && bottom(more) <= innerHeight && more.getBoundingClientRect().height > 0;
    }""")


def test_the_readme_gives_a_height_for_common_limits():
    assert {1, 3, 5, 10} <= set(readme_heights())
    example = f'limit=5" width="100%" height="{readme_heights()[5]}"'
    assert example in README.read_text(encoding="utf-8")  # the example uses the table


# Long titles (de:code's) at a phone's width, and at a narrow column where every
# title is cut to its two lines: the README's height still holds all of it.
@pytest.mark.parametrize("limit", [1, 3, 5, 10])
@pytest.mark.parametrize("frame_width", ["100%", "200"])
def test_the_embed_fits_the_readmes_iframe(open_page, server, blog_site, limit, frame_width):
    height = readme_heights()[limit]
    query = "event=decode-2020&" if limit <= 5 else ""
    post = blog_site(f'<p>記事の本文</p><iframe id="e" src="{server}/embed?{query}limit={limit}" '
                     f'width="{frame_width}" height="{height}" style="border:0" '
                     f'title="セッション"></iframe><p>記事の続き</p>')
    page = open_page(PHONE)
    page.goto(post)
    frame = page.frame_locator("#e")
    frame.locator(".embed-more a").wait_for()
    inner = page.frame(url=re.compile(r"/embed\?"))
    assert inner.locator(".embed-list li").count() == limit
    assert frame_fits(inner), (limit, frame_width)
    titles = inner.locator(".embed-list a")
    line = float(titles.first.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert all(t["height"] <= 2 * line + 1 for t in
               (titles.nth(i).bounding_box() for i in range(limit)))  # at most two lines
    if frame_width == "100%" and limit == 5:
        shoot(page, "embed-in-blog-390-light")


@pytest.mark.parametrize("theme, system, background", [
    ("", "dark", WHITE),  # light by default, whatever the reader's system says
    ("&theme=light", "dark", WHITE),
    ("&theme=dark", "light", DARK_SURFACE),
    ("&theme=auto", "dark", DARK_SURFACE),
    ("&theme=auto", "light", WHITE),
])
def test_the_embed_theme(open_page, server, theme, system, background):
    page = open_page(PHONE, system)
    page.goto(server + "/embed?topic=gpu" + theme)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == background
    link = page.locator(".embed-list a").first.evaluate("e => getComputedStyle(e).color")
    assert link != page.evaluate("getComputedStyle(document.body).backgroundColor")
    shoot(page, f"embed-theme-{theme.rpartition('=')[2] or 'default'}-{system}")


def test_the_height_script_sizes_the_frame_to_its_list(open_page, server, blog_site):
    post = blog_site(f'<iframe id="e" src="{server}/embed?topic=gpu&limit=3" width="100%" '
                     f'height="100" style="border:0" title="GPU"></iframe>'
                     f'<p id="after">記事の続き</p>'
                     f'<script src="{server}/static/embed-host.js" async></script>')
    page = open_page(PHONE)
    page.goto(post)
    page.wait_for_function("document.getElementById('e').style.height !== ''")
    inner = page.frame(url=re.compile(r"/embed\?"))
    page.wait_for_function("""([h]) => document.getElementById('e').getBoundingClientRect().height === h""",
                           arg=[inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")])
    assert frame_fits(inner)
    assert page.locator("#e").bounding_box()["height"] > 100
    shoot(page, "embed-auto-height-390-light")
    # the blog itself (or another frame) cannot make kb's frame any size
    page.evaluate("window.postMessage({type: 'kb-embed:height', height: 5}, '*')")
    page.wait_for_timeout(200)
    assert page.locator("#e").bounding_box()["height"] > 100


def test_the_height_script_asks_frames_that_loaded_before_it(open_page, server, blog_site):
    post = blog_site(f'<iframe id="e" src="{server}/embed?topic=gpu&limit=2" width="100%" '
                     f'height="600" style="border:0" title="GPU"></iframe>')
    page = open_page(PHONE)
    page.goto(post)
    page.frame_locator("#e").locator(".embed-more").wait_for()
    page.evaluate("""(src) => { const s = document.createElement('script');
                                s.src = src; document.body.appendChild(s); }""",
                  server + "/static/embed-host.js")
    page.wait_for_function("document.getElementById('e').style.height !== ''")
    assert page.locator("#e").bounding_box()["height"] < 600  # no gap under the list
