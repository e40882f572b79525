"""The Atom feed and the OpenSearch description, parsed as XML."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"


def test_atom_feed_lists_matching_sessions_newest_first(client):
    response = client.get("/feed.atom?q=GPU")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text.startswith("「GPU」の新着セッション")
    assert feed.find(f"{ATOM}id").text == "http://localhost/feed.atom?q=GPU"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.find(f"{ATOM}updated").text == updated[0]
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href")
    assert link.startswith("http://localhost/events/")
    assert first.find(f"{ATOM}id").text == link
    assert "<mark>" in first.find(f"{ATOM}summary").text


def test_atom_feed_takes_the_search_filters(client):
    feed = ET.fromstring(client.get("/feed.atom?topic=gpu&year=2019").data)
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles and all(t in ("GPUで速くするPythonの数値計算", "推論サーバーの作り方",
                                "全文検索エンジンの基礎") for t in titles)
    categories = {c.get("term") for c in feed.iter(f"{ATOM}category")}
    assert "GPU" in categories


def test_empty_atom_feed_is_still_valid(client):
    feed = ET.fromstring(client.get("/feed.atom?q=" + quote("存在しないことばzzqx")).data)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text.endswith("Z")


def test_atom_feed_rejects_bad_parameters(client):
    response = client.get("/feed.atom?page=x")
    assert response.status_code == 400


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    doc = ET.fromstring(response.data)
    assert doc.tag == f"{OS}OpenSearchDescription"
    assert doc.find(f"{OS}ShortName").text == "kb"
    urls = {u.get("type"): u.get("template") for u in doc.findall(f"{OS}Url")}
    assert urls["text/html"] == "http://localhost/search?q={searchTerms}"
    assert urls["application/x-suggestions+json"] == (
        "http://localhost/api/suggest?format=opensearch&q={searchTerms}")
    assert urls["application/atom+xml"] == "http://localhost/feed.atom?q={searchTerms}"
