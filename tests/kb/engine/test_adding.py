"""Documents added without whoosh's add_document write the very files whoosh writes."""

from whoosh.writing import SegmentWriter
from whoosh.filedb.filestore import FileStorage

from kb.engine import adding, perdoc
from kb.engine.blocks import flush_segment
from kb.engine.pool import CompactPool
from kb.engine.schema import build_schema

from tests.kb.engine.test_pool import documents, postings


def write(folder, add, schema=None, docs=None):
    """An index of the sample documents (or ``docs``), each added by ``add(writer, fields)``;
    kb's (:func:`adding.add_document`) with kb's per-document files."""
    ix = FileStorage(str(folder)).create().create_index(schema or build_schema())
    writer = SegmentWriter(ix, compound=False)
    writer.pool = CompactPool()
    writer._flush_segment = lambda: flush_segment(writer)
    if add is adding.add_document:
        assert perdoc.fits(writer.perdocwriter)
        perdoc.replace(writer)
    for doc in docs if docs is not None else documents():
        add(writer, doc)
    writer.commit()
    return ix


def segment_files(folder):
    """The bytes of each file of the one segment of an index folder, by what follows its name."""
    return {path.name.split(".", 1)[1]: path.read_bytes() for path in folder.glob("MAIN_*.*")}


def test_the_same_files_as_add_document_writes(tmp_path):
    theirs = write(tmp_path / "whoosh", lambda writer, doc: writer.add_document(**doc))
    mine = write(tmp_path / "kb", adding.add_document)
    files = segment_files(tmp_path / "kb")
    assert {"pst", "trm", "_body_len.col", "_stored.col"} <= files.keys()
    assert files == segment_files(tmp_path / "whoosh")  # postings, terms, lengths, stored
    assert postings(mine) == postings(theirs)
    with mine.searcher() as searcher, theirs.searcher() as their_searcher:
        assert list(searcher.all_stored_fields()) == list(their_searcher.all_stored_fields())


def test_words_far_into_a_long_text_and_boosted_words(tmp_path):
    from whoosh.analysis import DelimitedAttributeFilter, SpaceSeparatedTokenizer
    from whoosh.fields import ID, TEXT, Schema

    from kb.analysis import JapaneseAnalyzer, RememberingAnalyzer

    # positions past the table of one-position values, and terms repeated far apart
    long = "\n".join(doc["body"] for doc in documents()) * 3
    docs = [{"kind": "session", "id": "long", "title": "長い", "body": long}]
    theirs = write(tmp_path / "whoosh", lambda writer, doc: writer.add_document(**doc), docs=docs)
    mine = write(tmp_path / "kb", adding.add_document, docs=docs)
    assert segment_files(tmp_path / "kb") == segment_files(tmp_path / "whoosh")
    assert postings(mine) == postings(theirs)
    assert max(pos for _, _, pos, _, _ in JapaneseAnalyzer().terms(long, positions=True)) > 4096
    # an analyzer that gives words weights other than 1 ("word^2")
    boosted = RememberingAnalyzer(SpaceSeparatedTokenizer(), DelimitedAttributeFilter())
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=boosted, phrase=True))
    docs = [{"id": "a", "body": "gpu^2 cuda gpu^0.5 cuda gpu"}, {"id": "b", "body": "cuda^3"}]
    write(tmp_path / "whoosh-b", lambda writer, doc: writer.add_document(**doc), schema, docs)
    write(tmp_path / "kb-b", adding.add_document, schema, docs)
    assert segment_files(tmp_path / "kb-b") == segment_files(tmp_path / "whoosh-b")


def test_a_schema_with_vectors_is_left_to_whoosh():
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import TEXT, Schema

    assert adding.fits(build_schema())
    assert not adding.fits(Schema(body=TEXT(vector=True)))
    assert not adding.fits(Schema(body=TEXT(analyzer=StemmingAnalyzer(), spelling=True)))


def test_id_and_keyword_fields_give_the_postings_whoosh_gives():
    from whoosh.fields import ID, KEYWORD, TEXT

    values = ["", ",", " ", "a", "a,b", " a , b,,a ,", "gpu,mlops,gpu", "日本語, テスト ,日本語",
              ",,x,,", "\u3000全角\u3000,x", "e1:s2", "2020-01-02", "a\tb\n,c"]
    fields = [*(field for _, field in build_schema().items()
                if isinstance(field, (ID, KEYWORD))),
              ID(field_boost=2.0), KEYWORD(commas=True, field_boost=1.5), KEYWORD(scorable=True)]
    checked = 0
    for field in fields:
        for value in values:
            found = adding._keys(field, value)
            if found is not None:
                checked += 1
                assert sorted(found) == sorted(field.index(value)), (field, value)
    assert checked == (len(fields) - 1) * len(values)  # all but the space-separated KEYWORD
    assert adding._keys(TEXT(), "a,b") is None and adding._keys(ID(), ["a"]) is None


def test_boosts_and_stored_values_given_beside_the_fields(tmp_path):
    docs = [{**doc, "_boost": 2.0} if n % 3 == 0 else
            {**doc, "_title_boost": 3.0, "_stored_event_id": "shown"} if n % 3 == 1 else doc
            for n, doc in enumerate(documents())]
    theirs = write(tmp_path / "whoosh", lambda writer, doc: writer.add_document(**doc), docs=docs)
    mine = write(tmp_path / "kb", adding.add_document, docs=docs)
    assert segment_files(tmp_path / "kb") == segment_files(tmp_path / "whoosh")
    assert postings(mine) == postings(theirs)
