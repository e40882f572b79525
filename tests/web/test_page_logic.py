"""The page logic in kb/ the web needs: related sessions, suggestions, sessions per year."""

import pytest


@pytest.fixture(scope="module")
def service(app):
    return app.extensions["kb"]


def test_related_sessions_come_from_other_events(service):
    found = service.related("gpu-night-2019/推論サーバーの作り方")
    assert found
    assert all(r.event_id != "gpu-night-2019" for r in found)
    assert service.related("gpu-night-2019/推論サーバーの作り方") is found  # remembered
    assert service.related("nope/nothing") == []


def test_suggestions_rank_topics_then_events_then_titles(service):
    found = service.suggest("gpu")
    assert [(s.kind, s.id) for s in found[:2]] == [("topic", "gpu"),
                                                   ("event", "gpu-night-2019")]
    assert any(s.kind == "title" and s.id.startswith("gpu-night-2019/gpu") for s in found)
    assert service.suggest("   ") == []


def test_suggestions_fall_back_to_indexed_words(service):
    found = service.suggest("転")
    assert ("term", "転置") in [(s.kind, s.label) for s in found]


def test_sessions_per_year_fill_the_gaps(service):
    assert service.sessions_per_year("gpu") == [("2019", 2), ("2020", 1)]
    assert service.sessions_per_year() == [("2019", 3), ("2020", 5), ("2021", 1), ("2022", 2)]
    assert service.sessions_per_year("no-such-topic") == []
