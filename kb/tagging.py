"""Automatic topics: a session gets a topic when the topic's terms occur in it."""

from collections import defaultdict

TITLE_WEIGHT = 3  # one mention in the title is worth three in the notes
THRESHOLD = 3


def term_positions(analyzer, text):
    """Map each indexed term of ``text`` to the set of its positions."""
    found = defaultdict(set)
    for token in analyzer(text, positions=True, mode="index"):
        found[token.text].add(token.pos)
    return found


def term_pattern(analyzer, term):
    """A match term as (relative position, word) pairs, analysed as a query is."""
    tokens = [(t.pos, t.text) for t in analyzer(term, positions=True, mode="query")]
    if not tokens:
        return ()
    first = tokens[0][0]
    return tuple((pos - first, word) for pos, word in tokens)


def count_matches(positions, pattern):
    """How many times a pattern occurs in a text's term positions."""
    if not pattern:
        return 0
    (_, head), rest = pattern[0], pattern[1:]
    return sum(
        1 for start in positions.get(head, ())
        if all(start + offset in positions.get(word, ()) for offset, word in rest)
    )


class TopicTagger:
    """Topics of sessions: event tags, then session tags, then automatic ones."""

    def __init__(self, taxonomy, analyzer):
        self.taxonomy = taxonomy
        self.analyzer = analyzer
        self.patterns = [
            (topic, [p for p in (term_pattern(analyzer, term) for term in topic.terms) if p])
            for topic in taxonomy.topics
        ]
        # every index term of the titles and notes tagged: the indexer reads
        # their readings once, so that a server need not
        self.words = set()

    def automatic(self, title, text):
        """Known topics whose terms weigh enough in a title and its notes."""
        in_title = term_positions(self.analyzer, title)
        in_text = term_positions(self.analyzer, text) if text else {}
        self.words.update(in_title)
        self.words.update(in_text)
        chosen = []
        for topic, patterns in self.patterns:
            score = 0
            for pattern in patterns:
                score += TITLE_WEIGHT * count_matches(in_title, pattern)
                score += count_matches(in_text, pattern)
                if score >= THRESHOLD:
                    chosen.append(topic)
                    break
        return chosen

    def topics(self, event_tags, session_tags, title, text):
        """All topics of a session, without repeats, in a stable order."""
        found = {}
        for tag in (*event_tags, *session_tags):
            topic = self.taxonomy.topic_for_tag(tag)
            found.setdefault(topic.id, topic)
        for topic in self.automatic(title, text):
            found.setdefault(topic.id, topic)
        return tuple(found.values())
