"""How many of an index's loanwords a reader finds by typing their English.

    python -m benchmarks.loanwords INDEX_DIR [--min-sessions 2] [--show 40]

For each katakana word of the index in at least ``--min-sessions`` titles or
bodies that JMdict knows, its English is the first gloss of its entry's first
sense (パイプライン: pipeline); the word counts as found when that English
leads to it through what search widens an English word with: UniDic glosses
(corrected by data/synonyms.yaml), sounds, and JMdict itself. Prints the
share found with and without JMdict, and the words still missed.

With ``--katakana``, the other way: for each English word of the index in
``--min-sessions`` sessions that JMdict writes as a katakana loanword
(container: コンテナ), whether searching that katakana finds the sessions
searching the English word finds first (one of its top three in the results).
"""

import argparse
import re
import sqlite3

from kb import config
from kb.dictionary import database_path
from kb.lexicon import across_scripts, translations
from kb.requests import SearchRequest
from kb.search import open_service

KATAKANA_WORD = re.compile(r"[ァ-ヺー]{3,}")
KATAKANA_OF = """
    SELECT n.text FROM SenseGloss g JOIN Sense s ON s.ID = g.sid JOIN Kana n ON n.idseq = s.idseq
    WHERE g.text = ? AND g.lang = 'eng'
      AND s.ID = (SELECT min(ID) FROM Sense WHERE idseq = s.idseq)
      AND NOT EXISTS (SELECT 1 FROM Kanji k WHERE k.idseq = s.idseq)
    ORDER BY s.idseq, n.ID LIMIT 1
"""
FIRST_GLOSS = """
    SELECT g.text FROM Kana n JOIN Sense s ON s.idseq = n.idseq JOIN SenseGloss g ON g.sid = s.ID
    WHERE n.text = ? AND g.lang = 'eng'
      AND s.ID = (SELECT min(ID) FROM Sense WHERE idseq = s.idseq)
    ORDER BY g.rowid LIMIT 1
"""


def english_of(connection, word) -> str:
    """The first English gloss JMdict gives a katakana word, as one plain word, or ''."""
    row = connection.execute(FIRST_GLOSS, (word,)).fetchone()
    english = re.sub(r"\s*\(.*?\)", "", row[0]).lower().strip() if row else ""
    return english if re.fullmatch(r"[a-z]+", english) else ""


def _opened(index_dir):
    """The search service of an index, as kb serves it, and a connection to JMdict."""
    taxonomy, _ = config.load_topics(None)
    service = open_service(index_dir, taxonomy,
                           synonyms=config.load_synonyms(None, taxonomy))
    return service, sqlite3.connect(f"file:{database_path()}?mode=ro&immutable=1", uri=True)


def run(index_dir, min_sessions=2, show=40) -> None:
    """Print how many loanwords their English finds, without and with JMdict."""
    service, connection = _opened(index_dir)
    with service.viewing() as view:
        builder, vocabulary = view.builder, view.vocabulary()
        words = sorted(w for w, n in vocabulary.words.items()
                       if n >= min_sessions and KATAKANA_WORD.fullmatch(w))
        pairs = [(w, e) for w in words if (e := english_of(connection, w))]
        without = [w in vocabulary.glossed.get(e, ()) or w in across_scripts(builder, e)
                   or w in builder.glosses().words_glossed(e) for w, e in pairs]
        found = [old or w in translations(builder, e) for old, (w, e) in zip(without, pairs)]
    print(f"{len(pairs)} katakana words in {min_sessions}+ sessions with an English gloss")
    print(f"found by their English through glosses and sounds: {sum(without)}")
    print(f"... and JMdict: {sum(found)}")
    missed = [f"{w} ({e})" for (w, e), ok in zip(pairs, found) if not ok]
    print("missed:", ", ".join(missed[:show]) or "none")
    service.close()


def run_katakana(index_dir, min_sessions=2, show=40) -> None:
    """Print how many English words of the index their katakana spelling finds."""
    service, connection = _opened(index_dir)
    with service.viewing() as view:
        latin = view.vocabulary().latin
    pairs = []
    for english in sorted(w for w, n in latin.items() if n >= min_sessions and len(w) > 2):
        row = connection.execute(KATAKANA_OF, (english,)).fetchone()
        if row and KATAKANA_WORD.fullmatch(row[0]):
            pairs.append((english, row[0]))
    missed = []
    for english, kana in pairs:
        first = [h.record.id for h in service.search(SearchRequest(q=english)).hits[:3]]
        found = {h.record.id for h in service.search(SearchRequest(q=kana, per_page=50)).hits}
        if first and not found.intersection(first):
            missed.append(f"{kana} ({english})")
    print(f"{len(pairs)} English words in {min_sessions}+ sessions that JMdict writes in katakana")
    print(f"found by their katakana: {len(pairs) - len(missed)}")
    print("missed:", ", ".join(missed[:show]) or "none")
    service.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", help="an index folder built by kb index")
    parser.add_argument("--min-sessions", type=int, default=2)
    parser.add_argument("--show", type=int, default=40, help="missed words to list")
    parser.add_argument("--katakana", action="store_true",
                        help="the other way: English words of the notes, found by their katakana")
    args = parser.parse_args()
    (run_katakana if args.katakana else run)(args.index, args.min_sessions, args.show)


if __name__ == "__main__":
    main()
