"""Every HTML page through Flask's test client: status, content, links."""

from urllib.parse import quote

import pytest

DECODE_GPU = "decode-2020/ai-とデータ-サイエンスを加速する-nvidia-の最新-gpu"


def text(response):
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", "/search", "/search?q=GPU", "/events/",
                                 "/events/decode-2020", "/topics/", "/topics/gpu",
                                 "/embed", "/embed?topic=gpu&limit=2"])
def test_pages_answer_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert '<html lang="ja"' in text(response)


def test_every_full_page_links_opensearch_and_has_open_graph(client):
    for url in ["/", "/search?q=GPU", "/events/decode-2020", "/topics/gpu",
                "/events/" + quote(DECODE_GPU)]:
        page = text(client.get(url))
        assert 'rel="search" type="application/opensearchdescription+xml"' in page
        for prop in ("og:title", "og:description", "og:url"):
            assert f'property="{prop}"' in page, (url, prop)


def test_search_lists_results_with_snippets_and_links(client):
    page = text(client.get("/search?q=GPU"))
    assert "「GPU」の検索結果" in page
    assert "<mark>GPU</mark>" in page
    assert 'href="/events/gpu-night-2019/gpu%E3%81%A7' in page  # percent-encoded permalink
    assert 'href="https://example.com/gpu-night-2019/numeric"' in page  # the original post
    assert 'href="/topics/gpu"' in page


def test_search_facets_toggle_and_chips_remove(client):
    page = text(client.get("/search?q=GPU&topic=gpu&topic=machine-learning"))
    # selected values link to the URL without them, and show as removable chips
    assert 'href="/search?q=GPU&amp;topic=machine-learning" data-facet-value="gpu" aria-current="true"' in page
    assert 'class="chip" href="/search?q=GPU&amp;topic=gpu"' in page
    assert 'class="chip" href="/search?topic=gpu&amp;topic=machine-learning"' in page
    assert 'class="clear-all" href="/search"' in page


def test_search_resolves_topic_labels_to_ids_in_urls(client):
    page = text(client.get("/search?topic=GPU"))
    assert 'class="chip" href="/search"' in page
    assert 'name="topic" value="gpu"' in page  # a new query keeps the filter


def test_search_sort_and_pages(client):
    page = text(client.get("/search?limit=2&page=2&sort=date"))
    assert 'aria-current="page">2</span>' in page
    assert 'href="/search?sort=date&amp;limit=2"' in page  # page 1
    assert 'href="/search?sort=date&amp;page=3&amp;limit=2"' in page
    assert 'href="/search?page=2&amp;limit=2"' not in page
    # without a query there is nothing to be relevant to: the date order is the one used
    assert '<span class="is-disabled" aria-disabled="true">関連度順' in page
    page = text(client.get("/search?q=GPU&limit=2&page=2&sort=date"))
    assert 'href="/search?q=GPU&amp;limit=2">関連度順</a>' in page


def test_search_sorted_by_what_is_new(client):
    page = text(client.get("/search?sort=new"))
    assert '<span aria-current="true">新着順</span>' in page
    assert 'href="/search?sort=date">新しい順</a>' in page
    found = client.get("/api/search?sort=new&limit=100").get_json()
    assert found["sort"] == "new" and found["total"] == len(found["results"])
    assert client.get("/api/search?sort=newest").status_code == 400


def test_empty_search_says_so_and_offers_starting_points(client):
    page = text(client.get("/search?q=存在しないことばzzqx"))
    assert "一致するセッションはありません" in page
    assert 'href="/topics/machine-learning"' in page
    assert 'href="/events/decode-2020"' in page


def test_search_messages_are_shown(client):
    page = text(client.get("/search?q=topic:nosuchtopic"))
    assert client.get("/search?q=topic:nosuchtopic").status_code in (200, 400)
    assert "Traceback" not in page


@pytest.mark.parametrize("url", ["/search?page=zero", "/search?page=0", "/search?limit=1000",
                                 "/search?sort=best", "/search?year=20x0",
                                 "/search?topic=no-such-topic", "/search?event=nope"])
def test_bad_parameters_answer_400_pages(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Traceback" not in text(response)


def test_events_list_counts_and_dates(client):
    page = text(client.get("/events/"))
    assert 'href="/events/decode-2020"' in page
    assert "2020-06-17 – 2020-06-30" in page
    assert "<strong>5</strong> セッション" in page
    assert page.index("ML Camp 2022") < page.index("GPU Night 2019")  # newest first


def test_event_page_lists_sessions_with_topics_and_intro(client):
    page = text(client.get("/events/gpu-night-2019"))
    assert "架空の勉強会のノート" in page
    assert page.index("GPUで速くするPythonの数値計算") < page.index("推論サーバーの作り方")
    assert 'href="/topics/gpu"' in page
    assert 'href="/search?event=gpu-night-2019"' in page


def test_session_page_renders_notes_with_neighbours_and_related(client):
    page = text(client.get("/events/gpu-night-2019/" + quote("推論サーバーの作り方")))
    assert "<li>機械学習モデルの推論をGPUで動かす</li>" in page
    assert 'rel="prev"' in page and "GPUで速くするPythonの数値計算" in page
    assert 'rel="next"' in page and "全文検索エンジンの基礎" in page
    assert "ほかのイベントの関連セッション" in page
    related = page[page.index('class="related"'):]
    assert "GPU Night 2019 ·" not in related  # related sessions come from other events
    assert 'href="/api/sessions/gpu-night-2019/' in page


def test_session_page_shows_images_and_source(client):
    page = text(client.get("/events/" + quote(DECODE_GPU)))
    assert '<img src="https://cdn-ak.f.st-hatena.com/' in page
    assert 'loading="lazy"' in page


def test_topics_page_lists_counts_and_chart(client):
    page = text(client.get("/topics/"))
    assert 'href="/topics/machine-learning"' in page
    assert '<svg class="bar-chart"' in page
    assert page.index("機械学習") < page.index("ディープラーニング")  # most sessions first


def test_topic_page_has_sessions_newest_first_and_a_chart(client):
    page = text(client.get("/topics/gpu"))
    assert "<h1>GPU</h1>" in page
    assert '<svg class="bar-chart"' in page
    assert "<title>2019年: 2件</title>" in page and "<title>2020年: 1件</title>" in page
    assert 'href="/search?topic=gpu&amp;year=2019"' in page
    assert page.index("NVIDIA の最新 GPU") < page.index("推論サーバーの作り方")
    assert 'href="/feed.atom?topic=gpu"' in page


def test_topic_aliases_redirect_to_the_id(client):
    response = client.get("/topics/" + quote("深層学習"))
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/topics/deep-learning")


@pytest.mark.parametrize("url", [
    "/events/no-such-event", "/events/decode-2020/no-such-session", "/topics/no-such-topic",
    "/events/..", "/events/%2e%2e/%2e%2e", "/events/decode-2020/..%2f..%2fetc%2fpasswd",
    "/events/decode-2020%2F..", "/no/such/page", "/events/decode-2020/a/b",
])
def test_unknown_and_traversal_like_urls_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = text(response)
    assert "ページが見つかりません" in page or "見つかりません" in page
    assert "Traceback" not in page


def test_embed_is_compact_and_opens_links_in_a_new_tab(client):
    page = text(client.get("/embed?topic=gpu&limit=2"))
    assert page.count('target="_blank" rel="noopener"') == 3  # two results and "more"
    assert "site-header" not in page
    assert "すべてを見る" in page


def test_static_assets_are_local(client):
    page = text(client.get("/"))
    assert "//cdn" not in page and "googleapis" not in page
    for asset in ("style.css", "app.js", "favicon.svg"):
        with client.get(f"/static/{asset}") as response:
            assert response.status_code == 200


def test_a_search_page_asked_again_is_the_page_kept(app, client):
    first = client.get("/search?q=GPU&sort=date").get_data(as_text=True)
    kept = dict(app.extensions["kb.pages"])
    assert kept
    again = client.get("/search?q=GPU&sort=date").get_data(as_text=True)
    assert again == first
    # not rendered again: the very page kept the first time
    assert all(app.extensions["kb.pages"][key] is page for key, page in kept.items())
    # the page names the host it was asked on: another host, another page
    other = client.get("/search?q=GPU&sort=date", base_url="http://kb.example").get_data(as_text=True)
    assert 'href="http://kb.example/search?q=GPU' in other and other != first


def test_a_kept_page_follows_a_new_index_generation(tmp_path, topics):
    from kb.indexer.build import build_index
    from kb.web import create_app

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("---\nevent: A\n---\n## 最初の話\nGPU の話。\n", encoding="utf-8")
    build_index(tmp_path / "ix", [notes], *topics, progress=False)
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(tmp_path / "ix"),
                      "KB_TAXONOMY": topics[0]})
    app.extensions["kb"].check_interval = 0
    client = app.test_client()
    try:
        assert "最初の話" in client.get("/search?q=GPU").get_data(as_text=True)
        (notes / "a.md").write_text("---\nevent: A\n---\n## 次の話\nGPU の話。\n", encoding="utf-8")
        build_index(tmp_path / "ix", [notes], *topics, progress=False)
        page = client.get("/search?q=GPU").get_data(as_text=True)
        assert "次の話" in page and "最初の話" not in page
    finally:
        app.extensions["kb"].close()


def test_threads_share_the_kept_pages_safely(app, monkeypatch):
    import threading

    monkeypatch.setitem(app.config, "KB_PAGES_KEPT", 5)  # keep evicting while threads ask
    failures = []

    def ask(n):
        client = app.test_client()
        for i in range(60):
            response = client.get(f"/search?q={['GPU', '検索', 'MLOps', 'AI', '推論'][i % 5]}"
                                  f"&page={1 + (i + n) % 3}")
            if response.status_code != 200:
                failures.append(response.status_code)
    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(app.extensions["kb.pages"]) <= 5
