"""Right-to-left text in notes is isolated on every page, so it cannot reorder what is around it."""

import pytest

from kb.indexer.build import build_index
from kb.web import create_app

TITLE = "مرحبا بالعالم"  # a right-to-left session title
EVENT = "مؤتمر 2024"


@pytest.fixture
def client(tmp_path, topics):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "rtl.md").write_text(
        f"---\nevent: {EVENT}\nid: rtl-2024\ndate: 2024-03-01\n---\n"
        f"## {TITLE}\nspeakers: 山田花子\n\nGPUの話を聞いた。\n\n## 二つ目\n本文\n", encoding="utf-8")
    index = tmp_path / "index"
    assert build_index(index, [folder], *topics, progress=False).ok
    app = create_app({"TESTING": True, "KB_INDEX_DIR": str(index), "KB_TAXONOMY": topics[0]})
    yield app.test_client()
    app.extensions["kb"].close()


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_titles_and_event_names_are_isolated(client):
    session = page(client, "/events/rtl-2024/" + TITLE.replace(" ", "-"))
    assert f'<h1 dir="auto">{TITLE}</h1>' in session
    assert f"<bdi>{EVENT}</bdi>" in session
    assert "<bdi>二つ目</bdi>" in session  # the next session's link
    event = page(client, "/events/rtl-2024")
    assert f'<h1 dir="auto">{EVENT}</h1>' in event
    assert f"<bdi>{TITLE}</bdi>" in event
    results = page(client, "/search?q=GPU")
    assert f"<bdi>{TITLE}</bdi>" in results and f"<bdi>{EVENT}</bdi>" in results
    assert f'<bdi class="event-name">{EVENT}</bdi>' in page(client, "/events/")
