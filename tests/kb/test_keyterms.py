"""Key terms of a session read from the weights kept at index time."""

from kb.browse import KEY_TERMS
from kb.engine import IndexStore
from kb.keyterms import decode, encode, term_weights
from kb.records import KIND_SESSION


def test_weights_round_trip():
    weights = {"推論": 3, "gpu": 1, "≈inference": 1}
    assert decode(encode(weights)) == weights
    assert decode(b"") == {}


def test_kept_weights_give_the_key_terms_of_the_analysed_text(index_dir):
    with IndexStore(index_dir).open().reader() as reader:
        sessions = 0
        for docnum in reader.docnums(KIND_SESSION):
            record = reader.stored(docnum)["record"]
            kept = decode(reader.column_value("terms", docnum))
            assert kept, record["id"]
            # what a page analysed before: the title and the notes as one text
            before = reader.key_terms("body", record["title"] + "\n" + record["text"], KEY_TERMS)
            now = reader.key_terms("body", "", KEY_TERMS, kept)
            assert now == before, record["id"]
            sessions += 1
        assert sessions > 20


def test_weights_count_each_term_as_indexing_does(index_dir):
    from kb.engine.schema import build_schema

    field = build_schema()["body"]
    title, text = "GPUで推論", "推論サーバーの話。推論を速くする。ブラウザ"
    counted: dict = {}
    for value in (title, text):
        for token, _, weight, _ in field.index(value):
            word = field.from_bytes(token)
            counted[word] = counted.get(word, 0) + weight
    weights = term_weights(field.analyzer, title, text)
    assert weights["推論"] == 3
    assert {w: (1 if w.startswith("≈") else n) for w, n in counted.items()} == weights
