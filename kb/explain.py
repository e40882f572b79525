"""Why a search found what it found: the query's analysis and each hit's matches.

:func:`explain` returns plain dicts and lists (JSON-ready) so that the CLI can
print them and the web can show them.
"""


from typing import Any

from kb.analysis import STOP_LEMMAS, STOP_POS, normalize
from kb.engine.query import Term, leaves
from kb.fragments import containing
from kb.lexicon import across_scripts, reading_words, translations
from kb.query import Clause
from kb.search import fragments_of, match

# How a term came into the query, strongest first: what a reader wrote weighs
# more than what the search added.
VIA = ("word", "synonym", "abbreviation", "reading", "sound", "translation", "fragment",
       "topic", "event topic")


def describe_clause(builder, clause) -> dict[str, Any]:
    """How one clause of a query is analysed and what it is looked up as."""
    tokenizer = builder.analyzer[0]
    tokens = [
        {"surface": surface, "lemma": normalize(lemma), "reading": reading, "pos": tag,
         "stop": tag.startswith(STOP_POS) or lemma in STOP_LEMMAS}
        for _, _, surface, tag, lemma, reading in tokenizer.morphemes(clause.text)
    ]
    described = {
        "text": clause.text, "field": clause.field, "negated": clause.negated,
        "phrase": clause.phrase, "tokens": tokens,
        "terms": sorted({w for _, words in builder.analyze(clause.text) for w in words}),
        "synonyms": [], "abbreviations": [], "topic": None, "readings": [], "fragments": [],
        "across": [], "translations": [], "combined": False,
        "units": [] if clause.phrase or clause.field in ("event", "topic") else
        [{"text": u.text, "phrase": u.phrase, "soft": u.soft} for u in builder.units(clause.text)],
    }
    if clause.field in ("event", "topic"):
        return described
    if not clause.negated:
        described["synonyms"] = list(builder.synonyms.lookup(clause.text))
        described["abbreviations"] = builder.abbreviations(clause.text)
        if clause.field is None:
            described["topic"] = builder.named_topic(clause.text)
        described["readings"] = [list(words) for words in reading_words(builder, clause.text)]
    if not clause.negated:
        described["fragments"] = containing(builder, clause.text)
        described["across"] = across_scripts(builder, clause.text)
        described["translations"] = translations(builder, clause.text)
    return described


def term_origins(builder, clauses) -> dict[tuple[str, str], tuple[str, str]]:
    """(field kind, term) -> (via, clause text), the strongest origin of each term."""
    origins = {}

    def note(kind, term, via, text):
        old = origins.get((kind, term))
        if old is None or VIA.index(via) < VIA.index(old[0]):
            origins[(kind, term)] = (via, text)

    for c in clauses:
        if c["negated"]:
            continue
        for term in c["terms"]:
            note("text", term, "word", c["text"])
        for via, key in (("synonym", "synonyms"), ("abbreviation", "abbreviations")):
            for text in c[key]:
                for _, words in builder.analyze(text):
                    for term in words:
                        note("text", term, via, c["text"])
        for words in c["readings"]:
            for term in words:
                note("text", term, "reading", c["text"])
        for via, key in (("fragment", "fragments"), ("sound", "across"),
                         ("translation", "translations")):
            for word in c.get(key, ()):
                for _, words in builder.analyze(word):
                    for term in words:
                        note("text", term, via, c["text"])
        if c["topic"]:
            note("topic", c["topic"], "topic", c["text"])
            note("event topic", c["topic"], "event topic", c["text"])
    return origins


def _kind(fieldname):
    return {"topics": "topic", "event_topics": "event topic"}.get(fieldname, "text")


def explain(view, parsed, results) -> dict[str, list]:
    """The analysis of ``parsed`` and, for each hit of ``results``, which terms matched where.

    Scores come from the same matching the search made (the same parts, the
    same posting arrays), so they equal the scores of the result list.
    """
    builder = view.builder
    clauses = [describe_clause(builder, c) for group in parsed.groups for c in group]
    for start, span in builder.synonym_spans(parsed.groups):
        # words that have synonyms together (Raspberry Pi), described as one clause
        whole = Clause(" ".join(g[0].text for g in parsed.groups[start:start + span]))
        clauses.append({**describe_clause(builder, whole), "combined": True})
    explained = {"clauses": clauses, "hits": []}
    matched = match(view, parsed, fragments_of(parsed, builder))
    if matched is None or not results.hits:
        return explained
    origins = term_origins(builder, clauses)
    wanted = {view.reader.docnum(hit.record.id): hit.record.id for hit in results.hits}
    wanted.pop(None, None)
    scores = dict(zip(matched.docs.tolist(), matched.scores.tolist()))
    found = {docnum: {} for docnum in wanted}
    plan = matched.plan
    holding = [set(view.matches(part)[0].tolist()) for part in plan.required]
    for part in (*matched.positive, *plan.optional):
        for leaf in leaves(part):
            docs = view.matches(leaf)[0]
            for docnum in set(docs.tolist()) & found.keys():
                words = [leaf.text] if isinstance(leaf, Term) else list(leaf.words)
                for term in words:
                    origin = origins.get((_kind(leaf.fieldname), term))
                    if origin is None:  # an event/topic filter written in the query
                        if leaf.fieldname in ("event_id", "topics"):
                            continue
                        origin = ("word", "")
                    via, text = origin
                    entries = found[docnum].setdefault(leaf.fieldname, [])
                    entry = {"term": term, "via": via, "clause": text}
                    if entry not in entries:
                        entries.append(entry)
    for docnum, session_id in wanted.items():
        if docnum not in scores:
            continue
        fields = found[docnum]
        for values in fields.values():
            values.sort(key=lambda m: (VIA.index(m["via"]), m["term"]))
        lacks = [label for label, docs in zip(plan.labels, holding) if docnum not in docs]
        explained["hits"].append({"id": session_id, "score": round(scores[docnum], 4),
                                  "tier": tier_of(len(plan.labels), len(lacks)),
                                  "lacks": lacks, "fields": fields})
    order = {hit.record.id: i for i, hit in enumerate(results.hits)}
    explained["hits"].sort(key=lambda h: order[h["id"]])
    return explained


def tier_of(words, lacking) -> str:
    """Which tier a hit came from: all of the query's words, most of them, or any."""
    if not lacking:
        return "all"
    return "most" if words - lacking >= (words + 1) // 2 else "any"


def explanation_lines(explained, titles=None) -> list[str]:
    """The readable form of an explanation, line by line, for the terminal."""
    titles = titles or {}
    lines = ["query analysis:"]
    for c in explained["clauses"]:
        head = ("-" if c["negated"] else "") + (f"{c['field']}:" if c["field"] else "")
        lines.append(f"  {head}{c['text']}" + (" (phrase)" if c["phrase"] else "")
                     + (" (together)" if c["combined"] else ""))
        words = [f"{t['surface']}[{t['lemma']}" + (f"/{t['reading']}" if t["reading"] else "")
                 + "]" + (" (dropped)" if t["stop"] else "") for t in c["tokens"]]
        if words:
            lines.append("    tokens:    " + " ".join(words))
        for label, key in (("terms", "terms"), ("synonyms", "synonyms"),
                           ("abbrev.", "abbreviations"), ("inside", "fragments"),
                           ("sounds", "across"), ("English", "translations")):
            if c[key]:
                lines.append(f"    {label + ':':<10} " + ", ".join(c[key]))
        if c["readings"]:
            lines.append("    readings:  " + ", ".join("".join(w) for w in c["readings"]))
        if c["topic"]:
            lines.append(f"    topic:     {c['topic']}")
        if len(c["units"]) > 1:
            lines.append("    words:     " + ", ".join(
                u["text"] + (" (optional)" if u["soft"] else "") for u in c["units"]))
    for number, hit in enumerate(explained["hits"], start=1):
        lines.append(f"{number}. {titles.get(hit['id'], hit['id'])}  (score {hit['score']}, "
                     f"{hit['tier']} words" + (f", lacks {', '.join(hit['lacks'])}"
                                             if hit["lacks"] else "") + ")")
        for fieldname, found in hit["fields"].items():
            shown = ", ".join(m["term"] + ("" if m["via"] == "word" else f" ({m['via']})")
                              for m in found)
            lines.append(f"    {fieldname}: {shown}")
    return lines
