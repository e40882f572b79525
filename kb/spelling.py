"""Did you mean: a corrected query from the index's own words.

Three kinds of slips are corrected: Latin misspellings (Jenkis -> Jenkins),
katakana near-misses (ディープラーニグ -> ディープラーニング) and kanji that an
input method chose wrongly for the right reading (機会学習 -> 機械学習). Each
candidate is tried as a query; the one that finds the most sessions wins, and
a correction that finds nothing (or no more than the query) is never offered.
"""

import unicodedata

from kb.analysis import KATAKANA_RUN, LATIN_WORD, normalize
from kb.vocabulary import HAS_KANJI

FEW_RESULTS = 3  # a query finding fewer sessions than this gets a suggestion
CANDIDATES = 3  # corrections tried per misspelt word
RARER = 2  # a known word is corrected only to words more than this many times as frequent


def edit_distance(a, b, limit):
    """Optimal-string-alignment distance (a swap of neighbours costs 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word):
    """How many slips a word of this length may have: none in very short words."""
    n = len(word)
    return 0 if n < 4 else 1 if n < 7 else 2


def nearest(word, known, limit=CANDIDATES):
    """Known words closest to ``word``, nearest then most frequent first.

    A word the index knows is only corrected to far more frequent words: notes
    have typos too (Auzre), and a rare spelling should lead to the usual one.
    """
    most = allowed_distance(word)
    floor = RARER * known[word] if word in known else 0
    scored = []
    for candidate, count in known.items():
        if most and count > floor and candidate != word \
                and abs(len(candidate) - len(word)) <= most:
            distance = edit_distance(word, candidate, most)
            if distance <= most:
                scored.append((distance, -count, candidate))
    return [candidate for *_, candidate in sorted(scored)[:limit]]


def same_case(template, word):
    """``word`` in the case the reader typed: Auzre -> Azure, AUZRE -> AZURE."""
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def word_fixes(text, vocabulary, tokenizer):
    """(start, end, [replacements]) for the parts of a query word that look mistyped."""
    fixes = []
    for m in LATIN_WORD.finditer(text):
        found = nearest(normalize(m.group(0)), vocabulary.latin)
        if found:
            fixes.append((m.start(), m.end(), [same_case(m.group(0), w) for w in found]))
    for m in KATAKANA_RUN.finditer(text):
        found = nearest(unicodedata.normalize("NFKC", m.group(0)), vocabulary.katakana)
        if found:
            fixes.append((m.start(), m.end(), found))
    if HAS_KANJI.search(text):
        # input-method slips: another kanji word of the index with the same reading
        for start, end, surface, _, _, reading in tokenizer.morphemes(text):
            if reading and HAS_KANJI.search(surface):
                others = [w for w in vocabulary.words_read(reading) if w != normalize(surface)]
                if others:
                    fixes.append((start, end, others[:CANDIDATES]))
    return fixes


def did_you_mean(query, parsed, vocabulary, tokenizer, count):
    """A corrected query that finds more sessions than ``query``, or None.

    ``count(text)`` is how many sessions a query text finds; it is called a
    few times per correction, only for queries that found few sessions.
    """
    found = count(query)
    best, best_count = None, found
    improved = []  # the best fix of each mistyped word, to be combined
    for group in parsed.groups:
        for clause in group:
            if clause.negated or clause.field not in (None, "title"):
                continue
            at = query.find(clause.text)
            if at < 0:
                continue
            for start, end, replacements in word_fixes(clause.text, vocabulary, tokenizer):
                start, end = at + start, at + end
                local_best = None
                for word in replacements:
                    text = query[:start] + word + query[end:]
                    n = count(text)
                    if n > best_count:
                        best, best_count = text, n
                    if n > found and (local_best is None or n > local_best[0]):
                        local_best = (n, start, end, word)
                if local_best:
                    improved.append(local_best)
    if len(improved) > 1:  # several slips in one query: fix them all at once
        text = query
        for _, start, end, word in sorted(improved, key=lambda f: -f[1]):
            text = text[:start] + word + text[end:]
        n = count(text)
        if n > 0 and n >= best_count:
            best, best_count = text, n
    return best if best_count > found and best_count > 0 else None
