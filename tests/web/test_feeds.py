"""The Atom feed and the OpenSearch description, parsed as XML.

Feeds over notes edited between runs of `kb index` compare times with each
other, never with the clock.
"""

import xml.etree.ElementTree as ET
from urllib.parse import quote

from tests.web.editing import CONF, notes, site  # noqa: F401 (fixtures)

ATOM = "{http://www.w3.org/2005/Atom}"
OS = "{http://a9.com/-/spec/opensearch/1.1/}"


def feed_of(client, url="/feed.atom", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)


def entries_of(feed):
    """(title, id, updated, published, author or None) of each entry, in order."""
    return [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}id"), e.findtext(f"{ATOM}updated"),
             e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}author/{ATOM}name"))
            for e in feed.findall(f"{ATOM}entry")]


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
    assert first.find(f"{ATOM}id").text.startswith("tag:localhost,")
    assert "<mark>" in first.find(f"{ATOM}summary").text


def test_feed_titles_name_their_filter(client):
    def title(url):
        return feed_of(client, url).findtext(f"{ATOM}title")
    assert title("/feed.atom?topic=gpu") == "GPUの新着セッション | kb"
    assert title("/feed.atom?topic=GPU") == "GPUの新着セッション | kb"  # an alias, resolved
    assert title("/feed.atom?event=gpu-night-2019") == "GPU Night 2019の新着セッション | kb"
    assert title("/feed.atom?q=推論&topic=gpu&year=2019") == "「推論」 GPU 2019年の新着セッション | kb"
    assert title("/feed.atom") == "新着セッション | kb"


def test_pages_announce_their_feed_by_the_same_title(client):
    page = client.get("/topics/gpu").get_data(as_text=True)
    assert 'type="application/atom+xml" title="GPUの新着セッション"' in page


def test_entry_ids_are_tag_uris_whatever_the_host(client, app):
    ids = [e[1] for e in entries_of(feed_of(client, "/feed.atom?topic=gpu"))]
    assert ids and all(i.startswith("tag:localhost,") for i in ids)
    forged = [e[1] for e in entries_of(feed_of(client, "/feed.atom?topic=gpu",
                                               Host="evil.example"))]
    assert forged == ids
    app.config["KB_BASE_URL"] = "https://kb.example.com/notes"
    try:
        based = [e[1] for e in entries_of(feed_of(client, "/feed.atom?topic=gpu"))]
    finally:
        app.config["KB_BASE_URL"] = None
    assert len(based) == len(ids)
    for mine, theirs in zip(ids, based):  # the site's host, and its folder before the id
        day, _, specific = mine.removeprefix("tag:localhost,").partition(":")
        assert theirs == f"tag:kb.example.com,{day}:notes/{specific}"


def test_authors_are_the_notes_authors_when_known(client):
    feed = feed_of(client, "/feed.atom?limit=100")
    authors = {title: author for title, _, _, _, author in entries_of(feed)}
    assert authors["リテール AI の PoC 事例から学ぶスケールアウトへのヒント"] == "一色政彦"
    assert authors["推論サーバーの作り方"] is None  # its note names no author
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "kb"  # the feed's own, for those


def test_notes_added_today_for_an_old_event_are_first(notes, site):
    notes.write("late.md", "---\nevent: Old Meetup\nid: old-meetup\ndate: 2015-02-01\n---\n"
                           "## 昔の発表\n今日になって書いた。\n")
    notes.kb_index()
    feed = feed_of(site())
    entries = entries_of(feed)
    assert entries[0][0] == "昔の発表"
    updated = [e[2] for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    assert all(published <= changed for _, _, changed, published, _ in entries)


def test_an_edited_session_comes_back_with_the_same_id(notes, site):
    before = {e[0]: e for e in entries_of(feed_of(site()))}
    notes.write("x.md", CONF.replace("## 検索の話", "## 検索エンジンの話").replace(
        "作った。", "作った。形態素解析で語に分けた。"))
    notes.kb_index()
    entries = entries_of(feed_of(site()))
    title, entry_id, updated, published, author = entries[0]
    assert title == "検索エンジンの話" and author == "山田花子"
    assert entry_id == before["検索の話"][1]  # the same entry, renamed
    assert published == before["検索の話"][3]
    assert updated > before["検索の話"][2]
    assert {e[1] for e in entries} == {e[1] for e in before.values()}


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
