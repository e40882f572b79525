"""YAML event files: an event and a list of sessions, for structured note-takers.

    event: 勉強会 2024
    date: 2024-05-01
    tags: [Python]
    intro: |
      What the event was about.
    sessions:
      - title: 型ヒントの話
        speakers: [山田花子]
        tags: [Python]
        url: https://...
        notes: |
          - Markdown notes
"""

import yaml

from kb.errors import NoteError
from kb.model import Event
from kb.text import markdown_to_text

from kb.indexer.frontmatter import NoteLoader, event_fields
from kb.indexer.notes import make_sessions, read_notes

SESSION_KEYS = {"title", "speakers", "speaker", "tags", "topics", "url", "anchor",
                "date", "slug", "notes"}


def _compose(text, source):
    try:
        return yaml.compose(text, Loader=NoteLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NoteError(source, mark.line + 1 if mark else 1,
                        f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None


def _construct(node, source):
    try:
        return NoteLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise NoteError(source, node.start_mark.line + 1, f"invalid YAML: {exc}") from None


def parse_event_yaml(text, source="<string>") -> Event:
    """Parse a YAML event file into an Event with its sessions."""
    root = _compose(text, source)
    if not isinstance(root, yaml.MappingNode):
        raise NoteError(source, 1, "a YAML event file is a mapping with 'event:' and 'sessions:'")
    data = _construct(root, source)
    event = event_fields(data, text, source)
    nodes = dict((k.value, v) for k, v in root.value if isinstance(k, yaml.ScalarNode))
    items = nodes.get("sessions")
    if items is not None and not isinstance(items, yaml.SequenceNode):
        raise NoteError(source, items.start_mark.line + 1, "'sessions' must be a list")
    drafts = []
    for index, node in enumerate(items.value if items is not None else ()):
        line = node.start_mark.line + 1
        item = data["sessions"][index]
        if not isinstance(item, dict):
            raise NoteError(source, line, "each session is a mapping with at least 'title:'")
        unknown = sorted(set(map(str, item)) - SESSION_KEYS)
        if unknown:
            raise NoteError(source, line, f"unknown session key(s): {', '.join(unknown)}")
        meta = {}
        for key, value in item.items():
            key = {"speaker": "speakers", "topics": "tags"}.get(key, key)
            meta[key] = (value, line)
        title = " ".join(str(item.get("title") or "").split())
        drafts.append(read_notes(str(item.get("notes") or "").splitlines(), line, title, meta))
    intro = str(data.get("intro") or "").strip()
    return Event(
        id=event.id, name=event.name, date=event.date, end_date=event.end_date,
        url=event.url, tags=event.tags, intro=intro, author=event.author,
        draft=event.draft, source=str(source), sessions=make_sessions(event, drafts, source),
        intro_text=markdown_to_text(intro),
    )
