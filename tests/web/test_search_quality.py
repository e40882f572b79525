"""The search page and API show the did-you-mean suggestion and the explain view."""


def test_a_suggestion_links_even_when_a_few_sessions_were_found(client):
    page = client.get("/search?q=Auzre").get_data(as_text=True)
    assert "もしかして" in page and 'href="/search?q=Azure"' in page
    assert client.get("/api/search?q=Auzre").get_json()["suggestion"] == "Azure"


def test_no_suggestion_when_the_query_finds_enough(client):
    assert "もしかして" not in client.get("/search?q=GPU").get_data(as_text=True)


def test_explain_view_on_the_page_and_in_the_json(client):
    page = client.get("/search?q=GPU&explain=1").get_data(as_text=True)
    assert "検索の内訳" in page and "検索語の解析" in page
    assert "<th>タイトル</th>" not in page and "<dt>タイトル</dt><dd>gpu</dd>" in page
    assert "検索の内訳" not in client.get("/search?q=GPU").get_data(as_text=True)
    data = client.get("/api/search?q=GPU&explain=1").get_json()
    assert data["explain"]["clauses"][0]["terms"] == ["gpu"]
    assert "explain" not in client.get("/api/search?q=GPU").get_json()
