"""The site finds a speaker by reading and romanisation, and a loanword by its English."""


def titles(data):
    return [r["title"] for r in data["results"]]


def test_a_speaker_by_kana_and_latin_letters_on_the_page_and_in_the_json(client):
    for q in ("たなか", "Tanaka", "田中さん"):
        data = client.get(f"/api/search?q={q}").get_json()
        assert "GPUで速くするPythonの数値計算" in titles(data), q
    page = client.get("/search?q=すずき").get_data(as_text=True)
    assert "推論サーバーの作り方" in page


def test_an_english_word_finds_and_marks_a_katakana_word(client):
    data = client.get("/api/search?q=index").get_json()
    hit = next(r for r in data["results"] if r["title"] == "全文検索エンジンの基礎")
    assert "<mark>インデックス</mark>" in hit["snippet"]
    page = client.get("/search?q=index").get_data(as_text=True)
    assert "<mark>インデックス</mark>" in page
