"""The JSON twins: the same objects as the CLI, CORS, and JSON errors."""

import json
from urllib.parse import quote

import pytest

from kb.cli import main as kb_main


def cli_json(capsys, web_index, topics_file, *args):
    capsys.readouterr()
    status = kb_main(["search", "--index", str(web_index), "--topics", str(topics_file),
                      "--json", *args])
    assert status == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("query, cli_args", [
    ("", []),
    ("q=GPU", ["GPU"]),
    ("q=GPU&topic=gpu&topic=machine-learning", ["GPU", "--topic", "gpu", "--topic",
                                                "machine-learning"]),
    ("q=推論&sort=date&limit=2&page=2", ["推論", "--sort", "date", "--limit", "2", "--page", "2"]),
    ("year=2019&event=gpu-night-2019", ["--year", "2019", "--event", "gpu-night-2019"]),
])
def test_api_search_answers_exactly_what_the_cli_prints(client, capsys, web_index, topics_file,
                                                        query, cli_args):
    response = client.get("/api/search?" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == cli_json(capsys, web_index, topics_file, *cli_args)


def test_api_search_shape(client):
    data = client.get("/api/search?q=GPU").get_json()
    assert list(data) == ["query", "total", "page", "results", "facets", "facets_unlisted",
                          "suggestion", "corrected",
                          "sort", "limit", "messages"]
    assert set(data["facets"]) == {"event", "topic", "year"}
    hit = data["results"][0]
    assert set(hit) == {"id", "event", "title", "date", "topics", "speakers", "url", "score",
                        "snippet"}


def test_api_events(client):
    events = client.get("/api/events").get_json()["events"]
    ids = [e["id"] for e in events]
    assert ids[0] == "ml-camp-2022" and "decode-2020" in ids
    decode = events[ids.index("decode-2020")]
    assert decode["session_count"] == 5
    assert decode["html_url"] == "/events/decode-2020"
    assert "source" not in decode and "signature" not in decode


def test_api_event_with_sessions_in_order(client):
    data = client.get("/api/events/gpu-night-2019").get_json()
    assert data["name"] == "GPU Night 2019"
    assert [s["position"] for s in data["sessions"]] == [0, 1, 2]
    assert data["sessions"][0]["html_url"].startswith("/events/gpu-night-2019/")


def test_api_session(client):
    response = client.get("/api/sessions/" + quote("gpu-night-2019/推論サーバーの作り方"))
    data = response.get_json()
    assert data["id"] == "gpu-night-2019/推論サーバーの作り方"
    assert data["speakers"] == ["鈴木花子"]
    assert "body" in data and "text" in data and "source" not in data
    # related sessions are of other events, with links to their pages
    assert data["related"], "a GPU session has related sessions elsewhere"
    for other in data["related"]:
        assert other["event"]["id"] != "gpu-night-2019"
        assert other["html_url"] == "/events/" + quote(other["id"])


def test_api_event_keeps_indexing_bookkeeping_private(client):
    data = client.get("/api/events/gpu-night-2019").get_json()
    assert not {"katakana", "signature", "digest", "taxonomy", "source"} & set(data)


def test_api_topics(client):
    topics = client.get("/api/topics").get_json()["topics"]
    assert topics[0] == {"value": "machine-learning", "label": "機械学習", "count": 6,
                         "selected": False, "html_url": "/topics/machine-learning"}


def test_api_suggest(client):
    data = client.get("/api/suggest?q=" + quote("機械")).get_json()
    assert data["query"] == "機械"
    first = data["suggestions"][0]
    assert first == {"label": "機械学習", "kind": "topic", "id": "machine-learning",
                     "url": "/topics/machine-learning"}
    assert client.get("/api/suggest?q=").get_json()["suggestions"] == []


def test_api_suggest_opensearch_form(client):
    data = client.get("/api/suggest?format=opensearch&q=gpu").get_json()
    assert data[0] == "gpu" and "GPU" in data[1]


@pytest.mark.parametrize("url", ["/api/search", "/api/events", "/api/events/decode-2020",
                                 "/api/topics", "/api/suggest?q=a",
                                 "/api/sessions/" + quote("gpu-night-2019/推論サーバーの作り方")])
def test_api_allows_any_origin(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url, parameter", [
    ("/api/search?sort=best", "sort"), ("/api/search?page=x", "page"),
    ("/api/search?limit=0", "limit"), ("/api/search?topic=nope", "topic"),
    ("/api/search?year=abcd", "year"),
])
def test_api_bad_parameters_are_400_json(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    data = response.get_json()
    assert data["status"] == 400 and data["parameter"] == parameter and data["error"]


@pytest.mark.parametrize("url", ["/api/events/nope", "/api/sessions/decode-2020/nope",
                                 "/api/sessions/..%2f..%2fetc/passwd", "/api/nothing"])
def test_api_unknown_is_404_json(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_api_post_is_405_json(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405
