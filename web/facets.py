"""Facets, filter chips and pages as objects the templates only loop over.

Each facet value carries its own ``toggle_url`` and ``selected`` flag, and each
chip its ``remove_url``, computed here from the search arguments, so templates
hold no logic.
"""

from dataclasses import dataclass, replace
from typing import NamedTuple

from kb.web.params import FACET_PARAMS, SearchArgs

FACET_TITLES = {"topic": "トピック", "event": "イベント", "year": "年"}
FACET_ORDER = ("topic", "event", "year")
SHOWN = {"topic": 12, "event": 10, "year": 12}
# Values behind "more": a corpus of a thousand events would otherwise put a
# thousand links on every page; the rest are on the events and topics pages.
MORE = 20


class FacetLink(NamedTuple):
    """One facet value as shown: its count, a bar length and the URL that toggles it.

    A named tuple, as kb.facets.FacetValue: a page makes some seventy, and a
    frozen dataclass took three times as long to make.
    """

    value: str
    label: str
    count: int  # type: ignore[assignment]  # a field, where tuples have a method
    selected: bool
    toggle_url: str
    share: int  # the bar's length in percent of the facet's largest count


@dataclass(frozen=True)
class FacetGroup:
    """A facet: its title, the values shown first and the rest."""

    name: str
    title: str
    values: tuple
    more: tuple
    hidden: int = 0  # values left out of ``more``
    hidden_url: str | None = None  # the page that lists every value

    @property
    def any_of(self) -> bool:
        """Whether several values are ticked: the results then have any one of them (OR)."""
        return sum(v.selected for v in self.values) > 1


@dataclass(frozen=True)
class Chip:
    """An active filter, removable by following ``remove_url``."""

    kind: str
    label: str
    remove_url: str


def canonical_args(args, results) -> SearchArgs:
    """``args`` with each facet selection replaced by the ids the service resolved it to."""
    chosen = {}
    for facet in FACET_ORDER:
        ids = [v.value for v in results.facets.get(facet, ()) if v.selected]
        if facet == "year":  # years need no resolving, and one without sessions is still a filter
            ids += [y for y in args.years if y not in ids]
        chosen[FACET_PARAMS[facet]] = tuple(ids)
    return replace(args, **chosen)


def facet_groups(args, results, url, index_urls=None, toggle=None) -> list[FacetGroup]:
    """FacetGroups of ``results``; ``url(args)`` turns arguments into a URL.

    ``index_urls`` maps a facet to the page listing all its values, linked
    when there are too many values to list here. ``toggle(facet, value)``,
    when given, is ``url(args.toggled(facet, value))`` made faster.
    """
    if toggle is None:
        def toggle(facet, value):
            return url(args.toggled(facet, value))
    groups = []
    for facet in FACET_ORDER:
        values = results.facets.get(facet, [])
        if not values:
            continue
        top = max((v.count for v in values), default=0) or 1
        limit = SHOWN[facet]
        shown, rest = [], []
        for i, v in enumerate(values):
            (shown if i < limit or v.selected else rest).append(v)
        shown = [_link(facet, v, top, toggle) for v in shown]
        # values the service counted but did not list are behind the index page too
        hidden = max(0, len(rest) - MORE) + results.unlisted.get(facet, 0)
        groups.append(FacetGroup(facet, FACET_TITLES[facet], tuple(shown),
                                 tuple(_link(facet, v, top, toggle) for v in rest[:MORE]),
                                 hidden,
                                 (index_urls or {}).get(facet) if hidden else None))
    return groups


def _link(facet, value, top, toggle):
    return FacetLink(value.value, value.label, value.count, value.selected,
                     toggle(facet, value.value), round(100 * value.count / top))


def chips(args, results, url) -> list[Chip]:
    """Chips of the active filters: the query and each selected facet value."""
    found = []
    if args.q:
        found.append(Chip("キーワード", f"「{args.q}」", url(replace(args, q="", page=1))))
    for facet in FACET_ORDER:
        labels = {v.value: v.label for v in results.facets.get(facet, ())}
        for value in args.selected(facet):
            found.append(Chip(FACET_TITLES[facet], labels.get(value, value),
                              url(args.toggled(facet, value))))
    return found


@dataclass(frozen=True)
class PageLink:
    """A link in the pager; ``url`` is None for the current page and for gaps."""

    label: str
    url: str | None
    current: bool = False


def pager(args, pages, url, window=2) -> list[PageLink]:
    """Links to the previous page, nearby pages and the next page."""
    if pages <= 1:
        return []
    page = args.page
    numbers = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    links = []
    if page > 1:
        links.append(PageLink("前へ", url(replace(args, page=page - 1))))
    previous = 0
    for n in numbers:
        if n - previous > 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(n), None if n == page else url(replace(args, page=n)), n == page))
        previous = n
    if page < pages:
        links.append(PageLink("次へ", url(replace(args, page=page + 1))))
    return links
