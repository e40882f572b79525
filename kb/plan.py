"""Where a word of a query is looked for, what each way of finding it weighs, and
the plan a query becomes (see :mod:`kb.builder`)."""

from dataclasses import dataclass

from kb.engine import query as Q

# Where a plain word is looked for, and how much a match there weighs.
TEXT_FIELDS = (("title", 4.0), ("speakers", 2.0), ("captions", 1.2), ("body", 1.0),
               ("event_name", 0.8), ("intro", 0.3))
PART_FIELDS = ("title", "body")  # where a word inside a longer word is looked for
FIELDS_BY_PREFIX = {"title": (("title", 1.0),), "speaker": (("speakers", 1.0),)}
# What was not written weighs less than what was: a synonym, a word found by
# its reading, a session merely filed under a topic the query names.
SYNONYM_WEIGHT = 0.4
READING_WEIGHT = 0.3
SOUND_WEIGHT = 0.3  # the same word in another script found by its sound, a name by its romaji
PART_WEIGHT = 0.2  # a word found inside a longer word: what matched is not what was meant
COMPLETION_WEIGHT = 0.5  # a known name a word cut short begins: ドメイン駆 for ドメイン駆動設計
APART_WEIGHT = 0.5  # a compound's words found apart, not next to each other
SHORTER_WEIGHT = 0.5  # (apart) a compound of three words or more found less one at an end
GLOSS_WEIGHT = 0.5  # a loanword's English source: the same word in another script
JOINED_WEIGHT = 0.9  # Fast API written as FastAPI
NAME_WEIGHT = 0.8  # a speaker found by the romanisation of a name typed in kana or Latin
VOICELESS_WEIGHT = 0.8  # (of that) a name found with its voicing aside: すえだ for すえた
STEM_WEIGHT = 0.4  # another English word of the same stem: interpretable for interpretability
KANA_WEIGHT = 0.9  # the same word in the other kana script: ベキ for べき
TRANSLATION_WEIGHT = 0.3  # a Japanese word for an English one the notes rarely write
PAIR_WEIGHT = 0.5  # two English words found as the Japanese compound they translate to
# a session filed under the topic a query names, as much as a word or two in its notes:
# the tagger read it as about that topic, where a passing mention may not be
TOPIC_SCORE = 3.0
# a session of an event tagged with that topic, where its own text did not earn it: an
# IoT meetup's talk on a Kinect haunted house is about IoT, below any that says so
EVENT_TOPIC_SCORE = 1.0


@dataclass(frozen=True)
class Plan:
    """The parts a query is matched by, each matched on its own and then combined.

    ``required``: what the reader asked for, one part per content word or
    compound (``labels`` says which, as typed); ``optional``: words that raise
    a score but rule nothing out; ``filters``: event:/topic: clauses, always
    required; ``negative``: what must not match.
    """

    required: tuple = ()
    labels: tuple[str, ...] = ()
    optional: tuple = ()
    filters: tuple = ()
    negative: tuple = ()

    @property
    def empty(self) -> bool:
        return not (self.required or self.optional or self.filters or self.negative)


def match(fieldname, positions, boost):
    """Match a word (or phrase) in one field: a term, or a phrase of its morphemes."""
    if len(positions) == 1:
        words = positions[0][1]
        if len(words) == 1:
            return Q.Term(fieldname, words[0], boost=boost)
        return Q.Or([Q.Term(fieldname, w) for w in words], boost=boost)
    # particles dropped inside the query leave gaps; allow the same gaps
    slop = 1 + max(b[0] - a[0] - 1 for a, b in zip(positions, positions[1:]))
    lemmas = [words[-1] for _, words in positions]
    surfaces = [words[0] for _, words in positions]
    phrase = Q.Phrase(fieldname, lemmas, slop=slop, boost=boost)
    if surfaces == lemmas:
        return phrase
    return Q.Or([phrase, Q.Phrase(fieldname, surfaces, slop=slop, boost=boost)])
