"""English words the notes never wrote, looked up in JMdict for the Japanese they wrote.

A reader types "anomaly detection" or "agriculture" for a session the notes
call 異常検知 or 農業. UniDic's glosses (kb.glosses) only join katakana
loanwords with their English source; JMdict (the jamdict-data package, a
read-only SQLite file) gives Japanese words for English ones of any script.
Only words rare in the index are looked up: a word the notes use is searched
as written, and a common English word has too many translations to help.
"""

import os
import re
import sqlite3
import threading

from kb.cache import Memo

CACHE_SIZE = 2048
WORD = re.compile(r"[a-z][a-z-]*[a-z]")


def database_path() -> str | None:
    """Where jamdict-data keeps JMdict, or None when it is not installed."""
    try:
        import jamdict_data
    except ImportError:
        return None
    path = jamdict_data.JAMDICT_DB_PATH
    return path if os.path.exists(path) else None


class Dictionary:
    """English → Japanese words from JMdict; opened on first use, once per process."""

    # A gloss is the English word, maybe with a note ("warm up (e.g. engine)", "to
    # optimize"), and one of the first two of the entry's first sense: what the word
    # means first (注文 is first an order; that it may be an annotation misleads).
    # The gloss index is named and matches found first: sqlite would otherwise scan
    # every English gloss (0.2 s a word).
    QUERY = """
        WITH hit AS MATERIALIZED (
            SELECT g.sid, g.rowid AS gid FROM SenseGloss g INDEXED BY SenseGloss_text
            WHERE (g.text = :w OR g.text = 'to ' || :w
                   OR (g.text >= :w || ' (' AND g.text < :w || ' )')) AND g.lang = 'eng')
        SELECT DISTINCT coalesce(k.text, n.text) FROM hit
        CROSS JOIN Sense s ON s.ID = hit.sid
        LEFT JOIN Kanji k ON k.idseq = s.idseq
        LEFT JOIN Kana n ON n.idseq = s.idseq AND k.text IS NULL
        WHERE s.ID = (SELECT min(ID) FROM Sense WHERE idseq = s.idseq)
          AND hit.gid <= (SELECT min(rowid) + 1 FROM SenseGloss WHERE sid = hit.sid)
        ORDER BY s.idseq, k.ID, n.ID
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._found = Memo(CACHE_SIZE)
        self._connection: sqlite3.Connection | None = None
        self._pid = 0  # a connection is not carried into forked workers
        self._lock = threading.Lock()  # one connection, shared by a process's threads

    def japanese(self, english: str) -> tuple[str, ...]:
        """Japanese words JMdict gives for ``english`` (folded to lower case), or ()."""
        english = english.strip().lower()
        if not WORD.fullmatch(english.replace(" ", "-")):
            return ()
        return self._found.get("japanese", english, lambda: self._look_up(english))

    def _look_up(self, english) -> tuple[str, ...]:
        with self._lock:
            connection = self._connect()
            if connection is None:
                return ()
            rows = connection.execute(self.QUERY, {"w": english}).fetchall()
        return tuple(dict.fromkeys(r[0] for r in rows if r[0]))

    def _connect(self) -> sqlite3.Connection | None:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        path = self.path or database_path()
        if path is None:
            return None
        self._connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                           check_same_thread=False)
        self._pid = os.getpid()
        return self._connection
