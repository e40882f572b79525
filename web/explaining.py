"""The explain view of the search page: the service's explanation as rows of two tables.

The service explains a search as JSON-ready dicts (the same ones ``/api/search?explain=1``
answers); this turns them into what the page shows, in the page's language.
"""

from dataclasses import dataclass

# Field names as the explanation gives them (whoosh's, or "title (fragment)").
FIELD_LABELS = {
    "title": "タイトル", "body": "本文", "captions": "画像の説明", "speakers": "講演者",
    "event_name": "イベント名", "intro": "イベントの紹介", "topics": "トピック",
    "event_topics": "イベントのトピック",
    "title_frag": "タイトル(語の一部)", "title (fragment)": "タイトル(語の一部)",
    "body_frag": "本文(語の一部)", "body (fragment)": "本文(語の一部)",
}
VIA_LABELS = {"synonym": "同義語", "abbreviation": "略語", "reading": "読み", "sound": "別の表記",
              "fragment": "語の一部", "topic": "トピック", "event topic": "イベントのトピック"}
TIER_LABELS = {"all": "すべての語", "most": "大半の語", "any": "一部の語"}
CLAUSE_FIELDS = {"title": "タイトルのみ", "speaker": "講演者のみ", "event": "イベント",
                 "topic": "トピック"}
LIST = "、"


@dataclass(frozen=True)
class Morpheme:
    """A word of the query as the analyzer split it: surface, dictionary form and reading."""

    surface: str
    lemma: str
    reading: str
    dropped: bool  # a particle or the like, not searched for


@dataclass(frozen=True)
class ClauseRow:
    """One part of the query: how it was analysed and what it was looked up as."""

    text: str
    kind: str
    morphemes: tuple[Morpheme, ...]
    terms: str
    widened: tuple[tuple[str, str], ...]  # (how, words): synonyms, readings, fragments, topic
    words: str = ""  # the content words a sentence was split into, optional ones marked


@dataclass(frozen=True)
class HitRow:
    """One result: its rank, score and the words it matched in each field."""

    rank: int
    title: str
    url: str
    score: str
    matches: tuple[tuple[str, str], ...]  # (field, words)
    tier: str = ""  # which of the query's words it holds: all, most, some
    lacks: str = ""  # the words it does not hold


def clause_rows(explained) -> list[ClauseRow]:
    """Rows of the query table, one per part of the query."""
    rows = []
    for c in explained["clauses"]:
        kinds = [CLAUSE_FIELDS.get(c["field"], c["field"]) if c["field"] else "語"]
        if c["phrase"]:
            kinds.append("フレーズ")
        if c["negated"]:
            kinds.append("除外")
        if c.get("combined"):
            kinds.append("つなげて一語")
        text = ("-" if c["negated"] else "") + (f"{c['field']}:" if c["field"] else "") + c["text"]
        widened = [(label, LIST.join(words)) for label, words in (
            ("同義語", c["synonyms"]),
            ("略語", c.get("abbreviations", [])),
            ("読み", ["".join(w) for w in c["readings"]]),
            ("別の表記", c.get("across", [])),
            ("英語から", c.get("translations", [])),
            ("語の一部", c["fragments"]),
            ("トピック", [c["topic"]] if c["topic"] else []),
        ) if words]
        rows.append(ClauseRow(
            text=text, kind="・".join(kinds),
            morphemes=tuple(Morpheme(t["surface"], t["lemma"], t["reading"], t["stop"])
                            for t in c["tokens"]),
            terms=LIST.join(c["terms"]), widened=tuple(widened),
            words=LIST.join(u["text"] + ("(任意)" if u["soft"] else "")
                            for u in c.get("units", ())) if len(c.get("units", ())) > 1 else ""))
    return rows


def hit_rows(explained, hits, first=1) -> list[HitRow]:
    """Rows of the results table, in the order of ``hits`` (the page's Hit objects)."""
    found = {h["id"]: h for h in explained["hits"]}
    rows = []
    for rank, hit in enumerate(hits, start=first):
        explained_hit = found.get(hit.id)
        if explained_hit is None:
            continue
        matches = tuple(
            (FIELD_LABELS.get(field, field),
             LIST.join(m["term"] + (f"({VIA_LABELS[m['via']]})" if m["via"] in VIA_LABELS else "")
                       for m in words))
            for field, words in explained_hit["fields"].items())
        rows.append(HitRow(rank, hit.title, hit.url, f"{explained_hit['score']:.2f}", matches,
                           TIER_LABELS.get(explained_hit.get("tier"), ""),
                           LIST.join(explained_hit.get("lacks", ()))))
    return rows
