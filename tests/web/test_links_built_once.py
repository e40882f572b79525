"""Links built once and remembered are the links url_for and the arguments' items() give."""

from urllib.parse import urlencode

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.web.links import event_url, path_for, query_path, session_url, topic_url
from kb.web.pages import QueryLinks, encode_pair, with_query
from kb.web.params import SearchArgs

values = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=6)
selections = st.lists(st.one_of(st.sampled_from(["gpu", "ml", "2020", "a b", "&", "検索"]), values),
                      max_size=3, unique=True).map(tuple)
arguments = st.builds(SearchArgs, q=st.one_of(st.just(""), values), events=selections,
                      topics=selections, years=selections,
                      sort=st.sampled_from(["relevance", "date", "new"]),
                      page=st.integers(1, 5), per_page=st.sampled_from([10, 20]),
                      default_limit=st.sampled_from([10, 20]))


def reference(args):
    query = urlencode(args.items(), doseq=True)
    return "/search" + ("?" + query if query else "")


@settings(max_examples=300, deadline=None)
@given(args=arguments, facet=st.sampled_from(["event", "topic", "year"]),
       value=st.one_of(st.sampled_from(["gpu", "2020", "検索", "&"]), values))
def test_a_toggle_link_is_the_url_of_the_toggled_arguments(args, facet, value):
    links = QueryLinks("/search")
    assert links.toggles(args)(facet, value) == reference(args.toggled(facet, value))
    assert links(args) == with_query("/search", args) == reference(args)


def test_toggling_a_selected_value_removes_it_and_keeps_the_order_of_the_rest():
    args = SearchArgs(q="GPU 推論", events=("e1",), topics=("gpu", "ml"), years=("2020",),
                      sort="date", page=3, per_page=20)
    toggle = QueryLinks("/search").toggles(args)
    assert toggle("topic", "gpu") == ("/search?q=GPU+%E6%8E%A8%E8%AB%96&event=e1&topic=ml"
                                      "&year=2020&sort=date&limit=20")
    assert toggle("event", "e2") == ("/search?q=GPU+%E6%8E%A8%E8%AB%96&event=e1&event=e2"
                                      "&topic=gpu&topic=ml&year=2020&sort=date&limit=20")
    assert QueryLinks("/search").toggles(SearchArgs(years=("2020",)))("year", "2020") == "/search"


def test_remembered_pairs_are_encoded_as_urlencode_does():
    assert encode_pair("q", "GPU 推論&") == urlencode({"q": "GPU 推論&"})
    assert encode_pair("page", 2) == "page=2"


@pytest.mark.parametrize("root", ["", "/kb", "/site/notes"])
@pytest.mark.parametrize("endpoint, values", [
    ("pages.session", {"event_id": "gpu-night-2019", "slug": "推論サーバーの作り方"}),
    ("pages.session", {"event_id": "a b", "slug": "x/y?z#&"}),
    ("pages.topic", {"topic_id": "gpu"}),
    ("pages.search", {"event": "e1", "topic": "gpu"}),
    ("pages.search", {"topic": ["gpu", "ml"]}),  # a list: not remembered, still right
    ("static", {"filename": "app.js", "v": "0123456789"}),
    ("pages.events", {}),
])
def test_a_remembered_path_is_url_fors_under_any_script_root(app, root, endpoint, values):
    with app.test_request_context("/", base_url=f"http://localhost{root}/"):
        expected = url_for(endpoint, **values)
        assert path_for(endpoint, **values) == expected
        assert path_for(endpoint, **values) == expected  # the second time, remembered
    assert expected.startswith(root + "/")


def test_paths_of_the_same_values_under_two_roots_differ(app):
    with app.test_request_context("/"):
        plain = session_url("gpu-night-2019/talk")
    with app.test_request_context("/", base_url="http://localhost/kb/"):
        assert session_url("gpu-night-2019/talk") == "/kb" + plain
        assert path_for("pages.session", event_id="e", slug="s", _external=True) == url_for(
            "pages.session", event_id="e", slug="s", _external=True)


ids = st.text(st.characters(codec="utf-8", exclude_characters="\x00/"), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(event_id=ids, slug=st.one_of(ids, st.just("a/b?c#d&e%20f")),
       topic_id=st.one_of(ids, st.sampled_from(["gpu", "機械学習", "a b", "kb-mark-0-"])))
def test_the_paths_of_sessions_events_and_topics_are_url_fors(app, event_id, slug, topic_id):
    for root in ("", "/kb"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            assert session_url(f"{event_id}/{slug}") == url_for(
                "pages.session", event_id=event_id, slug=slug)
            assert event_url(event_id) == url_for("pages.event", event_id=event_id)
            assert topic_url(topic_id) == url_for("pages.topic", topic_id=topic_id)
            assert topic_url(topic_id, page=2) == url_for("pages.topic", topic_id=topic_id, page=2)


@settings(max_examples=200, deadline=None)
@given(args=arguments)
def test_a_query_path_is_url_fors_with_the_arguments_items(app, args):
    with app.test_request_context("/", base_url="http://localhost/kb/"):
        for endpoint in ("feeds.atom", "api.search", "pages.search"):
            assert query_path(endpoint, args.items()) == url_for(endpoint, **args.items())
