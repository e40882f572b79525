"""Facet objects, chips and pager against literal values, URLs included."""

from urllib.parse import urlencode

import pytest
from werkzeug.datastructures import MultiDict

from kb.errors import QueryError
from kb.facets import FacetValue
from kb.results import SearchResults
from kb.web.facets import Chip, FacetLink, PageLink, canonical_args, chips, facet_groups, pager
from kb.web.params import SearchArgs


def url(args):
    query = urlencode(args.items(), doseq=True)
    return "/search" + ("?" + query if query else "")


def results(**facets):
    return SearchResults(query="", total=30, page=1, per_page=10, sort="relevance",
                         facets={"event": [], "topic": [], "year": [], **facets})


def test_args_read_repeated_values_and_defaults():
    args = SearchArgs.from_args(MultiDict([("q", "  GPU   推論 "), ("topic", "gpu"),
                                           ("topic", "gpu"), ("topic", ""), ("year", "2020"),
                                           ("page", "2")]))
    assert args == SearchArgs(q="GPU 推論", topics=("gpu",), years=("2020",), page=2)
    assert args.items() == {"q": "GPU 推論", "topic": ["gpu"], "year": ["2020"], "page": 2}


@pytest.mark.parametrize("name, value", [("page", "two"), ("page", "-1"), ("limit", "１０")])
def test_args_reject_malformed_numbers(name, value):
    with pytest.raises(QueryError) as caught:
        SearchArgs.from_args(MultiDict({name: value}))
    assert caught.value.parameter == name


def test_toggling_adds_and_removes_a_value_and_goes_back_to_page_one():
    args = SearchArgs(q="GPU", topics=("gpu",), page=3)
    assert url(args.toggled("topic", "python")) == "/search?q=GPU&topic=gpu&topic=python"
    assert url(args.toggled("topic", "gpu")) == "/search?q=GPU"


def test_facet_groups_carry_toggle_urls_selection_and_bar_shares():
    args = SearchArgs(topics=("gpu",))
    found = results(topic=[FacetValue("machine-learning", "機械学習", 8, False),
                           FacetValue("gpu", "GPU", 4, True)],
                    year=[FacetValue("2020", "2020", 2, False)])
    groups = facet_groups(args, found, url)
    assert [g.name for g in groups] == ["topic", "year"]
    assert groups[0].title == "トピック"
    assert groups[0].values == (
        FacetLink("machine-learning", "機械学習", 8, False,
                  "/search?topic=gpu&topic=machine-learning", 100),
        FacetLink("gpu", "GPU", 4, True, "/search", 50),
    )
    assert groups[1].values == (FacetLink("2020", "2020", 2, False,
                                          "/search?topic=gpu&year=2020", 100),)


def test_long_facets_keep_selected_values_in_view():
    values = [FacetValue(f"e{i:02}", f"Event {i}", 20 - i, i == 15) for i in range(16)]
    group = facet_groups(SearchArgs(events=("e15",)), results(event=values), url)[0]
    assert [v.value for v in group.values] == [f"e{i:02}" for i in range(10)] + ["e15"]
    assert [v.value for v in group.more] == ["e10", "e11", "e12", "e13", "e14"]


def test_canonical_args_use_the_ids_the_service_resolved():
    args = SearchArgs(topics=("GPU",), years=("1999",))
    found = results(topic=[FacetValue("gpu", "GPU", 4, True)])
    assert canonical_args(args, found) == SearchArgs(topics=("gpu",), years=("1999",))


def test_chips_remove_one_filter_each():
    args = SearchArgs(q="推論", topics=("gpu",), years=("2020",))
    found = results(topic=[FacetValue("gpu", "GPU", 4, True)],
                    year=[FacetValue("2020", "2020", 2, True)])
    assert chips(args, found, url) == [
        Chip("キーワード", "「推論」", "/search?topic=gpu&year=2020"),
        Chip("トピック", "GPU", "/search?q=%E6%8E%A8%E8%AB%96&year=2020"),
        Chip("年", "2020", "/search?q=%E6%8E%A8%E8%AB%96&topic=gpu"),
    ]


def test_pager_links_neighbours_and_ends():
    links = pager(SearchArgs(page=5), 9, url)
    assert links == [
        PageLink("前へ", "/search?page=4"), PageLink("1", "/search"), PageLink("…", None),
        PageLink("3", "/search?page=3"), PageLink("4", "/search?page=4"),
        PageLink("5", None, True), PageLink("6", "/search?page=6"),
        PageLink("7", "/search?page=7"), PageLink("…", None), PageLink("9", "/search?page=9"),
        PageLink("次へ", "/search?page=6"),
    ]
    assert pager(SearchArgs(), 1, url) == []


def test_a_facet_with_very_many_values_links_to_their_list():
    values = [FacetValue(f"e{i:03}", f"Event {i}", 1000 - i, False) for i in range(100)]
    group = facet_groups(SearchArgs(), results(event=values), url, {"event": "/events/"})[0]
    assert len(group.values) == 10 and len(group.more) == 20
    assert (group.hidden, group.hidden_url) == (70, "/events/")
    few = facet_groups(SearchArgs(), results(event=values[:30]), url, {"event": "/events/"})[0]
    assert (few.hidden, few.hidden_url) == (0, None)
