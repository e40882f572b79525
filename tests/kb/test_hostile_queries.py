"""Whatever a reader types, the search service answers quickly, or says clearly what is wrong.

Property-based: hypothesis feeds the service random Unicode, query operators,
unbalanced quotes and parentheses, unknown prefixes, wildcards, very long
queries and any page number. Each answer is a result (with a message when a
limit cut the query) or a QueryError naming the parameter; nothing else.
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.errors import QueryError
from kb.query import MAX_CLAUSES, MAX_QUERY_CHARS, parse_query
from kb.requests import MAX_PAGE, SearchRequest

CUT = f"the query was cut to its first {MAX_QUERY_CHARS} characters"
TOO_MANY = f"only the first {MAX_CLAUSES} terms of the query were used"

# Pieces of the query syntax, and of what people paste into search boxes.
PIECES = [
    "GPU", "検索", "機械学習", "アノテ", "アノテーション", "こんごうせいど", "de:code", "Node.js",
    "C++", "MLOps", "推論を高速化した", "ＧＰＵ", "🎉", "★", "\u200b", "\u3000",
    "OR", "AND", "NOT", "-", "--", "+", '"', '""', "'", "(", ")", "[", "]", "{", "}",
    "*", "?", "~", "^", "\\", "/", ":", "::", "%", "%00", "&", "|", "!", "<", ">",
    "title:", "event:", "topic:", "speaker:", "speakers:", "TITLE:", "foo:", "http://x/",
    "event:decode-2020", "topic:gpu", "topic:nope", "year:2020", "GPU*", "*GPU", "検*",
    "ア?ノ", "a*b*c", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:x}", "\x00",
]
syntax = st.lists(st.sampled_from(PIECES), max_size=40).flatmap(
    lambda pieces: st.lists(st.sampled_from([" ", "", "\t", "\n", "\u3000"]),
                            min_size=len(pieces), max_size=len(pieces)).map(
        lambda seps: "".join(p + s for p, s in zip(pieces, seps))))
# any code point, lone surrogates included: a command line of invalid UTF-8 has them
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=600)
long_text = st.builds(lambda piece, times: (piece * times)[:10_000],
                      st.text(min_size=1, max_size=12), st.integers(50, 10_000))
queries = st.one_of(syntax, any_text, long_text)


def answer(service, **request):
    """The service's answer as its JSON dict, checked for shape (timings: make bench)."""
    results = service.search(SearchRequest(**request))
    data = json.loads(json.dumps(results.to_dict()))  # the API's contract: plain JSON
    assert data["total"] >= len(data["results"])
    assert len(data["results"]) <= request.get("per_page", 10)
    return data


@settings(max_examples=150, deadline=None)
@given(q=queries, sort=st.sampled_from(["relevance", "date"]))
def test_any_query_gets_an_answer(service, q, sort):
    data = answer(service, q=q, sort=sort)
    assert data["query"] == q
    assert (CUT in data["messages"]) == (len(q.replace("\x00", " ")) > MAX_QUERY_CHARS)
    assert (TOO_MANY in data["messages"]) == (TOO_MANY in parse_query(q).messages)


@settings(max_examples=60, deadline=None)
@given(page=st.integers(), q=st.sampled_from(["", "GPU", "検索 OR MLOps", "zzqx"]))
def test_any_page_number_is_a_page_or_a_clear_error(service, page, q):
    if 1 <= page <= MAX_PAGE:
        data = answer(service, q=q, page=page)
        assert data["page"] == page
        if (page - 1) * 10 >= data["total"]:
            assert data["results"] == []  # past the end: empty, not an error
    else:
        with pytest.raises(QueryError) as error:
            answer(service, q=q, page=page)
        assert error.value.parameter == "page"
        assert str(MAX_PAGE) in str(error.value)


@settings(max_examples=60, deadline=None)
@given(year=st.text(max_size=8), topic=st.text(max_size=12), event=st.text(max_size=12))
def test_bad_filters_name_the_parameter(service, year, topic, event):
    for name, values in (("year", {"years": (year,)}), ("topic", {"topics": (topic,)}),
                         ("event", {"events": (event,)})):
        try:
            answer(service, q="GPU", **values)
        except QueryError as error:
            assert error.parameter == name
            assert str(error)


@pytest.mark.parametrize("q, message", [
    ("GPU " * 2500, CUT),
    ("あ" * 10_000, CUT),
    (" ".join(f"語{i}" for i in range(40)), TOO_MANY),
    (" OR ".join(f"語{i}" for i in range(100)), TOO_MANY),  # OR-ed terms count too
    ("-GPU " * 30, TOO_MANY),
])
def test_a_cap_is_said_in_the_answer(service, q, message):
    data = answer(service, q=q)
    assert message in data["messages"]


def test_parse_keeps_the_first_terms_of_a_long_or_chain():
    parsed = parse_query(" OR ".join(f"w{i}" for i in range(40)))
    assert [c.text for c in parsed.groups[0]] == [f"w{i}" for i in range(MAX_CLAUSES)]
    assert parsed.messages == (TOO_MANY,)


@pytest.mark.parametrize("q, plain", [
    ("GPU*", "GPU"), ("*", ""), ("検*", "検"), ("?" * 500, ""), ("(((GPU", "GPU"), ('GPU"', "GPU"),
    ('"' * 499, ""), ("title:", "title"), ("foo:bar:baz", "foo bar baz"), ("GPU \udcff", "GPU"),
    ("\x00" * 600, ""), ("topic:" + "x" * 490, "topic:x"),
])
def test_wildcards_operators_and_oddities_are_plain_text(service, q, plain):
    """No wildcard or operator expands into many terms: each is searched as written."""
    data, expected = answer(service, q=q), answer(service, q=plain)
    assert data["total"] == expected["total"]
    assert [r["id"] for r in data["results"]] == [r["id"] for r in expected["results"]]


def test_wildcard_chains_and_long_runs_find_no_more_than_their_words(service):
    assert answer(service, q="a*b*c*d")["total"] <= answer(service, q="a")["total"]
    assert answer(service, q="ア" * 500)["total"] == 0
