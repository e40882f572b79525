"""The markup of a list of facet values, written here rather than in a template.

A search page shows some seventy facet values. The template's loop looked up
nine fields of each and escaped six: a tenth of the page's processor time,
for markup that is mostly the same from page to page. Here the markup of a
value up to its link, and from its link to its count, is made once per value
(its id and label do not change) and kept; a page writes only the link, the
count and the bar's length. The markup is what the template wrote, byte for
byte (tests/web/test_facet_markup.py).
"""

from functools import lru_cache
from typing import Callable, Iterable

from markupsafe import Markup, escape

from kb.web.facets import FacetLink

VALUE = ('<li data-label="{label}"><a class="facet-value{selected_class}" href="{url}"'
         ' data-facet-value="{value}"{current}>\n'
         '  <span class="check" aria-hidden="true"></span>\n'
         '  <span class="facet-label">{selected_note}<bdi>{label}</bdi></span>\n'
         '  <span class="facet-count">{count}<span class="visually-hidden">件</span></span>\n'
         '  <svg class="facet-bar" viewBox="0 0 100 4" preserveAspectRatio="none"'
         ' aria-hidden="true" focusable="false"><rect width="100" height="4" class="track"></rect>'
         '<rect width="{share}" height="4" class="fill"></rect></svg>\n'
         '</a></li>')
# VALUE cut where a page's own parts go: the link, the count, the bar's length
_START, _, _rest = VALUE.partition("{url}")
_MIDDLE, _, _rest = _rest.partition("{count}")
_COUNT_TO_SHARE, _, _END = _rest.partition("{share}")

# parts of (value, label, selected) each worker keeps: the events, topics and years
# pages show, each ticked or not
PARTS_KEPT = 4096


def value_parts(value: str, label: str, selected: bool) -> tuple[str, str]:
    """The markup of a facet value before its link, and from its link to its count."""
    fields = {"label": escape(label), "value": escape(value),
              "selected_class": " is-selected" if selected else "",
              "current": ' aria-current="true"' if selected else "",
              "selected_note": '<span class="visually-hidden">選択中: </span>' if selected else ""}
    return _START.format(**fields), _MIDDLE.format(**fields)


def facet_values(links: Iterable[FacetLink],
                 parts: Callable[[str, str, bool], tuple[str, str]] = value_parts) -> Markup:
    """The ``<li>`` of each facet value of ``links``; ``parts`` is :func:`value_parts`, remembered."""
    pieces = []
    for link in links:
        start, middle = parts(link.value, link.label, link.selected)
        pieces += (start, escape(link.toggle_url), middle, str(link.count),
                   _COUNT_TO_SHARE, str(link.share), _END)
    return Markup("".join(pieces))


def init_app(app) -> None:
    """Give ``app``'s templates :func:`facet_values`, with the parts of each value remembered."""
    parts = lru_cache(maxsize=PARTS_KEPT)(value_parts)

    def remembered(links: Iterable[FacetLink]) -> Markup:
        return facet_values(links, parts)

    app.jinja_env.globals["facet_values"] = remembered
