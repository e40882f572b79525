"""The explain view: the query's analysis and each hit's matches by field."""

import json

from kb.cli import main
from kb.requests import SearchRequest


def test_clauses_show_tokens_synonyms_readings_and_fragments(service):
    explained = service.explain(SearchRequest(q="アノテ ラズパイ りんり -Haskell"))
    by_text = {c["text"]: c for c in explained["clauses"]}
    assert {"アノテーション", "アノテーター"} <= set(by_text["アノテ"]["fragments"])
    assert "ラズベリーパイ" in by_text["ラズパイ"]["synonyms"]
    assert ["倫理"] in by_text["りんり"]["readings"]
    assert by_text["Haskell"]["negated"] and not by_text["Haskell"]["synonyms"]
    tokens = by_text["りんり"]["tokens"]
    assert tokens[0]["surface"] == "りん" and tokens[0]["reading"]


def test_hits_say_which_terms_matched_where(service):
    request = SearchRequest(q="深層学習", per_page=3)
    results = service.search(request)
    explained = service.explain(request, results)
    assert [h["id"] for h in explained["hits"]] == [h.record.id for h in results.hits]
    first = explained["hits"][0]["fields"]
    assert {"term": "深層", "via": "word", "clause": "深層学習"} in first["title"]
    vias = {m["via"] for hit in explained["hits"] for ms in hit["fields"].values() for m in ms}
    assert "synonym" in vias


def test_cli_explain(capsys, index_dir):
    assert main(["search", "--index", str(index_dir), "--explain", "こんごうせいど"]) == 0
    out = capsys.readouterr().out
    assert "query analysis:" in out and "readings:  混合精度" in out
    assert "body: 混合 (reading), 精度 (reading)" in out
    assert main(["search", "--index", str(index_dir), "--json", "--explain", "GPU"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["explain"]["clauses"][0]["topic"] == "gpu"


def test_cli_prints_the_suggestion(capsys, index_dir):
    assert main(["search", "--index", str(index_dir), "Jenkis"]) == 0
    assert "did you mean: Jenkins" in capsys.readouterr().out


def test_explained_scores_are_the_scores_of_the_list(service):
    for q in ("深層学習", "GPU 推論", "アノテ", "りんり", "リテール OR MLOps", "Azure -AWS"):
        request = SearchRequest(q=q, per_page=10)
        results = service.search(request)
        explained = service.explain(request, results)
        assert results.hits, q
        assert [(h["id"], h["score"]) for h in explained["hits"]] == \
            [(h.record.id, round(h.score, 4)) for h in results.hits], q
