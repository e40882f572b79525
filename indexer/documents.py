"""The documents of an event for the index: one per session, one for the event itself.

Records (what pages show) and their hashes need no analysis, so the build can
decide what changed before any text is tokenized; only ``session_document``
analyses text, to find automatic topics.
"""

import hashlib
import json
from typing import Any

from kb.engine import SCHEMA_VERSION
from kb.model import Session
from kb.people import line_speakers, mentioned_speakers, title_speakers
from kb.records import KIND_EVENT, KIND_READINGS, KIND_SESSION
from kb.snippets import word_bounds
from kb.abbreviations import find_abbreviations, implied_abbreviations
from kb.keyterms import encode, term_weights
from kb.vocabulary import katakana_runs


def content_hash(*parts) -> str:
    """A short stable hash of JSON-serialisable parts."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


def session_records(event, taxonomy_hash) -> list[tuple[Session, dict[str, Any]]]:
    """(session, record) pairs of an event; each record carries its content hash.

    The hash covers everything indexed for the session, the event's intro and
    the taxonomy, so an unchanged hash means an unchanged document.
    """
    intro = event.intro_text
    pairs = []
    for s in event.sessions:
        record = {
            "id": s.id, "slug": s.slug, "event_id": event.id, "event_name": event.name,
            "event_date": event.date, "event_url": event.url, "title": s.title,
            "date": s.date, "speakers": list(s.speakers), "url": s.url, "tags": list(s.tags),
            "body": s.body, "text": s.text,
            "images": [[i.url, i.caption] for i in s.images], "position": s.position,
            "source": event.source, "line": s.line,
        }
        record["hash"] = content_hash(SCHEMA_VERSION, taxonomy_hash, record, intro, event.tags,
                                      len(event.sessions) == 1)
        pairs.append((s, record))
    return pairs


def notes_hash(record) -> str:
    """A hash of a session's notes as written: what tells that they changed.

    Unlike the record's hash it leaves out what is not the session's own
    writing (its place in the note, the event around it, the taxonomy, kb's
    version), so that none of those makes a session new again in a feed.
    """
    return content_hash(*(record.get(k) for k in ("title", "body", "speakers", "url", "tags",
                                                   "date", "images")))


def session_tags(event, session) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tags that suggest topics, tags that give them) of a session.

    An event's tags describe the event as a whole, so they only suggest topics
    to its sessions; an event of one session (a blog post without headings) is
    that session, and its tags are the session's own.
    """
    if len(event.sessions) == 1:
        return (), (*event.tags, *session.tags)
    return event.tags, session.tags


def session_document(event, session, record, tagger) -> dict[str, Any]:
    """The index document of one session, with its topics found by ``tagger``."""
    topics = tagger.topics(*session_tags(event, session), session.title, record["text"])
    text = record["text"]
    tokenizer = tagger.analyzer[0]
    # word boundaries for snippets, from the analysis tagging just made
    record = {**record, "topics": [[t.id, t.label] for t in topics],
              "words": word_bounds(tokenizer, text)}
    # a name in the title (「…」 - 佐藤 一郎氏), on a 登壇者: line of the notes, or given the
    # talk (…氏による発表) is a speaker too
    speakers = dict.fromkeys([*session.speakers, *title_speakers(session.title, tokenizer),
                              *line_speakers(text), *mentioned_speakers(text)])
    return {
        "kind": KIND_SESSION, "id": session.id, "event_id": event.id, "source": event.source,
        "date": session.date or "", "year": (session.date or "")[:4],
        "position": session.position, "topics": ",".join(t.id for t in topics),
        "event_topics": ",".join(t.id for t in event_topics(event, tagger.taxonomy)),
        "title": session.title, "body": text,
        "captions": "\n".join(i.caption for i in session.images if i.caption),
        "speakers": "\n".join(speakers), "event_name": event.name,
        "intro": event.intro_text, "record": record,
        "terms": encode(term_weights(tagger.analyzer, session.title, text)),
    }


def event_topics(event, taxonomy) -> tuple:
    """The topics of an event's own tags, their parents included."""
    return taxonomy.with_ancestors(tuple(map(taxonomy.topic_for_tag, event.tags)))


def event_document(event, file_info, session_hashes, taxonomy, texts=(), history=None) -> dict[str, Any]:
    """The document that stands for a note file: its event, signature and session hashes.

    ``history`` (see kb.indexer.history.Carried) adds what the event remembers
    across runs: each session's times and identity, and the ids that were its
    and its sessions' before.

    ``topics`` maps the ids of topics that come from tags to their labels, so
    that tags the taxonomy does not know still show under their own names;
    ``event_topics`` lists the topics of the event's own tags, which stay the
    event's even where none of its sessions takes them.
    ``katakana`` counts the katakana runs of the sessions' ``texts`` (titles and
    notes), which did-you-mean corrects against: counted here, a searcher need
    not read every session to know them.
    """
    own = event_topics(event, taxonomy)
    topics = {t.id: t.label for t in own}
    for topic in map(taxonomy.topic_for_tag, (t for s in event.sessions for t in s.tags)):
        topics[topic.id] = topic.label
    record = {
        "id": event.id, "name": event.name, "date": event.date, "end_date": event.end_date,
        "url": event.url, "tags": list(event.tags), "intro": event.intro,
        "author": event.author, "source": event.source, "topics": topics,
        "event_topics": [[t.id, t.label] for t in own],
        "sessions": session_hashes, "katakana": katakana_runs(texts),
        "abbreviations": defined_abbreviations([event.intro, *texts]), **file_info,
        "history": {}, "former": {}, "former_ids": [],
    }
    if history is not None:
        record.update(history=history.history, former=history.former,
                      former_ids=list(history.former_ids))
    return {"kind": KIND_EVENT, "id": event.id, "event_id": event.id, "source": event.source,
            "date": event.date or "", "year": (event.date or "")[:4],
            "event_name": event.name, "record": record}


def defined_abbreviations(texts) -> dict[str, list[str]]:
    """Abbreviation -> long forms defined in some texts, and the acronyms of names written
    without one (see kb.abbreviations)."""
    found = {}
    for text in texts:
        for short, long in (*find_abbreviations(text), *implied_abbreviations(text)):
            longs = found.setdefault(short, [])
            if long not in longs:
                longs.append(long)
    return found


def readings_document(readings, stamp) -> dict[str, Any]:
    """The document keeping how the kanji words of one indexing run read.

    A server reads these instead of running the morphological analyser over
    every word of the index at start-up. ``stamp`` makes its id unique.
    """
    return {"kind": KIND_READINGS, "id": f"{KIND_READINGS}:{stamp}",
            "record": {"readings": readings}}
