"""Topics as `kb index` files them: event tags as evidence, parents in the facet, the event page."""

import pytest

from kb.indexer.build import build_index
from kb.search import SearchRequest, SearchService
from kb.web import create_app

# Invented notes: a CI meetup tagged Jenkins and "mixed", and a blog post of one session.
MEETUP = """---
event: CI勉強会 2023
id: ci-meetup-2023
date: 2023-05-20
tags: [Jenkins, mixed]
---
## Jenkinsのジョブを整理する

- 三百あったジョブを用途ごとに分けた
- Jenkinsfileに書き直して、レビューできるようにした

## 懇親会の案内

- 会場の近くで食事をした
- 次回は秋に開く予定

## ビルドの待ち時間を減らす

- テストを四つに分けて並列に流した
- Jenkinsのエージェントを増やした
"""

POST = """---
title: 週末の作業記録
date: 2023-06-03
categories: [Kubernetes]
---
自宅の小さなクラスタを組み直した。
"""


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, topics):
    """(the index folder of the notes above, a search service over it)."""
    notes = tmp_path_factory.mktemp("topic-notes")
    (notes / "ci-meetup-2023.md").write_text(MEETUP, encoding="utf-8")
    (notes / "2023-06-03-weekend.md").write_text(POST, encoding="utf-8")
    path = tmp_path_factory.mktemp("topic-index")
    report = build_index(path, [notes], *topics, progress=False)
    assert report.ok, report.errors
    service = SearchService(path, topics[0])
    yield path, service
    service.close()


@pytest.fixture
def service(indexed):
    return indexed[1]


def topics_by_title(service, event_id):
    return {s.title: [t.id for t in s.topics] for s in service.event(event_id)["sessions"]}


def test_sessions_take_the_event_tags_their_notes_support(service):
    found = topics_by_title(service, "ci-meetup-2023")
    assert found["Jenkinsのジョブを整理する"] == ["jenkins", "ci", "devops"]
    assert found["ビルドの待ち時間を減らす"][:3] == ["jenkins", "ci", "devops"]
    assert found["懇親会の案内"] == []


def test_the_event_keeps_its_tags(service):
    record = service.event("ci-meetup-2023")
    assert record["event_topics"] == [["jenkins", "Jenkins"], ["mixed", "mixed"],
                                      ["ci", "CI/CD"], ["devops", "DevOps"]]


def test_a_post_of_one_session_keeps_its_categories(service):
    post = service.events()[0]
    assert topics_by_title(service, post["id"]) == {"週末の作業記録": ["kubernetes", "containers"]}


def test_the_topic_facet_shows_parents_and_children(service):
    facets = service.search(SearchRequest(topics=("ci",))).to_dict()["facets"]["topic"]
    counts = {f["value"]: f["count"] for f in facets}
    assert counts["jenkins"] == counts["ci"] == counts["devops"] == 2
    assert "mixed" not in counts  # no session takes it
    total = service.search(SearchRequest(topics=("devops",))).to_dict()["total"]
    assert total == 2


def test_the_event_page_shows_its_topics(indexed, taxonomy):
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(indexed[0]), "KB_TAXONOMY": taxonomy})
    try:
        page = app.test_client().get("/events/ci-meetup-2023").get_data(as_text=True)
    finally:
        app.extensions["kb"].close()
    assert 'aria-label="このイベントのトピック"' in page
    assert ('<a href="/search?event=ci-meetup-2023&amp;topic=jenkins">Jenkins'
            '<span class="count">2</span></a>') in page
    assert '<span class="tag">mixed</span>' in page  # none of its sessions is about it
