"""Documents added without whoosh's add_document write the very files whoosh writes."""

from whoosh.writing import SegmentWriter
from whoosh.filedb.filestore import FileStorage

from kb.engine import adding
from kb.engine.blocks import flush_segment
from kb.engine.pool import CompactPool
from kb.engine.schema import build_schema

from tests.kb.engine.test_pool import documents, postings


def write(folder, add):
    """An index of the sample documents, each added by ``add(writer, fields)``."""
    ix = FileStorage(str(folder)).create().create_index(build_schema())
    writer = SegmentWriter(ix, compound=False)
    writer.pool = CompactPool()
    writer._flush_segment = lambda: flush_segment(writer)
    for doc in documents():
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


def test_a_schema_with_vectors_is_left_to_whoosh():
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import TEXT, Schema

    assert adding.fits(build_schema())
    assert not adding.fits(Schema(body=TEXT(vector=True)))
    assert not adding.fits(Schema(body=TEXT(analyzer=StemmingAnalyzer(), spelling=True)))
