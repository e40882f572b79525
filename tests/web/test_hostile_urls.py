"""Whatever lands in the URL, the site answers a page or a clear 400, never a 500.

Property-based: hypothesis sends random Unicode, query syntax, very long
queries, huge or negative page numbers and odd filters to the search page, the
API, the embed and the feed, and checks each answer's status and shape (their timings are make bench's).
"""


import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

PIECES = ["GPU", "検索", "機械学習", "アノテ", "OR", "-", '"', "(", ")", "*", "?", ":", "title:",
          "topic:", "event:", "foo:", "topic:gpu", "<script>alert(1)</script>", "&q=", "%",
          "%2F", "../", "🎉", "\u3000", "\x00", "\\", "'", "#", "+"]
syntax = st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join)
# what a browser can send: any code point but lone surrogates
any_text = st.text(st.characters(codec="utf-8"), max_size=700)
queries = st.one_of(syntax, any_text, st.builds(lambda s, n: (s * n)[:10_000],
                                                st.text(min_size=1, max_size=8),
                                                st.integers(1, 10_000)))
numbers = st.one_of(st.integers(-10, 20).map(str), st.integers().map(str),
                    st.sampled_from(["", "abc", "1.5", "1e3", "٣", "０", " 2", "-0", "2 ", "0x10"]))
ENDPOINTS = ["/search", "/api/search", "/embed", "/feed.atom"]


def get(client, path, params):
    return client.get(path, query_string=params)


def check(response, path):
    """A page or a 400 that says what was wrong; JSON under /api/."""
    assert response.status_code in (200, 400), response.status_code
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    if path.startswith("/api/"):
        data = response.get_json()
        if response.status_code == 400:
            assert data["error"] and data["parameter"]
        else:
            assert data["total"] >= len(data["results"])
    elif response.status_code == 400:
        assert "リクエストを処理できません" in body
    return response


@settings(max_examples=100, deadline=None)
@given(path=st.sampled_from(ENDPOINTS), q=queries, page=numbers)
def test_any_query_and_page_get_a_page_or_a_clear_400(app, path, q, page):
    client = app.test_client()
    check(get(client, path, {"q": q, "page": page}), path)


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(ENDPOINTS), year=st.text(max_size=6), topic=st.text(max_size=10),
       event=st.text(max_size=10), sort=st.text(max_size=10), limit=numbers)
def test_any_filters_get_a_page_or_a_clear_400(app, path, year, topic, event, sort, limit):
    client = app.test_client()
    params = {"q": "GPU", "year": year, "topic": topic, "event": event, "sort": sort,
              "limit": limit}
    check(get(client, path, params), path)


@pytest.mark.parametrize("params, parameter", [
    ({"page": "-1"}, "page"), ({"page": "0"}, "page"), ({"page": "10001"}, "page"),
    ({"page": "9" * 40}, "page"), ({"page": "abc"}, "page"), ({"year": "abc"}, "year"),
    ({"year": "２０２０"}, "year"), ({"topic": "no-such-topic"}, "topic"),
    ({"event": "no-such-event"}, "event"), ({"limit": "101"}, "limit"),
    ({"sort": "random"}, "sort"),
])
def test_bad_parameters_are_a_clear_400(app, params, parameter):
    client = app.test_client()
    response = check(get(client, "/api/search", params), "/api/search")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter
    page = get(client, "/search", params)
    assert page.status_code == 400
    assert parameter in page.get_data(as_text=True)


def test_a_page_past_the_end_is_empty_not_an_error(app):
    data = app.test_client().get("/api/search?q=GPU&page=10000").get_json()
    assert data["page"] == 10_000 and data["results"] == [] and data["total"] > 0


def test_a_long_query_is_cut_and_says_so_as_the_cli_does(app, index_dir, capsys):
    from kb.cli import main

    q = "あ" * 10_000
    message = "the query was cut to its first 500 characters"
    client = app.test_client()
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200 and message in response.get_json()["messages"]
    assert message in client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert main(["search", "--index", str(index_dir), "--json", q]) == 0
    assert message in json.loads(capsys.readouterr().out)["messages"]


def test_a_capped_query_says_so_on_the_page_and_in_the_api(app):
    client = app.test_client()
    q = " ".join(f"語{i}" for i in range(30))
    message = "only the first 16 terms of the query were used"
    assert message in client.get("/api/search", query_string={"q": q}).get_json()["messages"]
    assert message in client.get("/search", query_string={"q": q}).get_data(as_text=True)
