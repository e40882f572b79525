"""The fields of a kb index, and the version of what it holds."""

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from kb.analysis import JapaneseAnalyzer, SpeakerAnalyzer

# Bump whenever fields, analyzers or what is stored change: an index with
# another version is rebuilt by the next `kb index`.
SCHEMA_VERSION = 12


def build_schema() -> Schema:
    """Fields of session and event documents."""
    ja = JapaneseAnalyzer()
    return Schema(
        kind=ID(stored=True),
        id=ID(unique=True, stored=True),
        event_id=ID(stored=True, sortable=True),
        source=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        # order of a session within its event: only ever read as a column
        position=COLUMN(NumericColumn("i")),
        # how often each word occurs in a session, for its key terms (see kb.keyterms)
        terms=COLUMN(VarBytesColumn()),
        topics=KEYWORD(stored=True, commas=True, scorable=True),
        # the topics of the event's own tags, on each of its sessions: weak evidence
        # for a search naming the topic, where the session's text did not earn it
        event_topics=KEYWORD(commas=True),
        title=TEXT(analyzer=ja, phrase=True),
        body=TEXT(analyzer=ja, phrase=True),
        captions=TEXT(analyzer=ja, phrase=True),
        speakers=TEXT(analyzer=SpeakerAnalyzer(), phrase=True),
        event_name=TEXT(analyzer=ja, phrase=True),
        intro=TEXT(analyzer=ja, phrase=True),
        # everything a page shows, so results never re-read the notes
        record=STORED(),
    )
