"""YAML event files, parsed from strings."""

import pytest

from kb.indexer.yamlevents import parse_event_yaml
from kb.errors import NoteError

EVENT = """\
event: 型ヒント勉強会 2024
id: typing-2024
date: 2024-05-01
url: https://example.com/typing-2024
tags: [Python]
intro: |
  型ヒントについての勉強会。
sessions:
  - title: 型ヒントの話
    speakers: [山田花子]
    tags: [mypy]
    notes: |
      - 段階的に型を付ける
      ![構成図](https://example.com/a.png)
      型チェックの構成
  - title: 型ヒントの話
    speaker: 佐藤一郎
    url: https://video.example.com/2
    date: 2024-05-02
  - title: 最後
    anchor: last
"""


def test_event_and_sessions():
    event = parse_event_yaml(EVENT, "e.yaml")
    assert (event.id, event.name, event.date, event.tags) == (
        "typing-2024", "型ヒント勉強会 2024", "2024-05-01", ("Python",))
    assert event.intro == "型ヒントについての勉強会。"
    first, second, third = event.sessions
    assert (first.id, first.speakers, first.tags) == ("typing-2024/型ヒントの話", ("山田花子",), ("mypy",))
    assert first.images[0].caption == "型チェックの構成"
    assert (second.id, second.speakers, second.url, second.date) == (
        "typing-2024/型ヒントの話-2", ("佐藤一郎",), "https://video.example.com/2", "2024-05-02")
    assert third.url == "https://example.com/typing-2024#last"
    assert [s.line for s in event.sessions] == [9, 16, 20]


@pytest.mark.parametrize("text, line, message", [
    ("- a\n- b\n", 1, "is a mapping"),
    ("event: e\nsessions: {a: 1}\n", 2, "must be a list"),
    ("event: e\nsessions:\n  - just text\n", 3, "each session is a mapping"),
    ("event: e\nsessions:\n  - title: t\n    speakr: x\n", 3, "unknown session key(s): speakr"),
    ("event: e\nsessions:\n  - notes: no title\n", 3, "has no title"),
    ("event: e\nsessions:\n  - title: t\n    date: 2024-02-31\n", 3, "invalid date"),
    ("event: [e\n", 2, "invalid YAML"),
    ("sessions: []\n", 1, "no 'event'"),
    ("event: !!python/object/apply:os.system [ls]\n", 1, "invalid YAML"),
])
def test_errors_name_the_line(text, line, message):
    with pytest.raises(NoteError) as caught:
        parse_event_yaml(text, "e.yaml")
    assert (caught.value.line, caught.value.source) == (line, "e.yaml")
    assert message in str(caught.value)
