"""The topic taxonomy: topics with ids, labels, aliases, parents and match terms."""

from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.analysis import normalize
from kb.errors import NoteError
from kb.text import slugify

# libyaml's loader when PyYAML has it: the taxonomy loads at every start, 6x faster
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TOPIC_KEYS = ("id", "label", "aliases", "parents", "terms", "generic", "with", "without")
CONTEXT_KEYS = ("with", "without")


@dataclass(frozen=True)
class Term:
    """A match term of a topic, and the context it counts in."""

    text: str
    generic: bool = False  # a word also used in passing: it needs more evidence
    with_any: tuple[str, ...] = ()  # counts only in a session that also has one of these
    # not counted inside these phrases, nor at all beside those it is no part of
    without: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A topic sessions can be filed under."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    parents: tuple[str, ...] = ()  # ids of broader topics: a session here is there too
    with_any: tuple[str, ...] = ()  # found in text only beside one of these
    without: tuple[str, ...] = ()  # never found in text beside one of these
    known: bool = True  # False for a tag the taxonomy does not know


@dataclass(frozen=True)
class Taxonomy:
    """All known topics, and the lookups from any name to a topic."""

    topics: tuple[Topic, ...] = ()
    # lookups made from ``topics`` in __post_init__
    _names: dict[str, Topic] = field(init=False, repr=False, compare=False)
    _ids: dict[str, Topic] = field(init=False, repr=False, compare=False)
    _children: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    # each topic's broader and narrower topics, walked once: tagging asks for every session
    _ancestors: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _descendants: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {}
        for topic in self.topics:
            for name in (topic.id, topic.label, *topic.aliases):
                names.setdefault(normalize(name).strip(), topic)
        children = {t.id: [] for t in self.topics}
        for topic in self.topics:
            for parent in topic.parents:
                children.setdefault(parent, []).append(topic.id)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_ids", {t.id: t for t in self.topics})
        object.__setattr__(self, "_children", {k: tuple(v) for k, v in children.items()})
        object.__setattr__(self, "_ancestors", {t.id: _walk(t.id, self._parents) for t in self.topics})
        object.__setattr__(self, "_descendants", {t.id: _walk(t.id, self.children)
                                                  for t in self.topics})

    def find(self, name) -> Topic | None:
        """The known topic with this id, label or alias (any case or width), or None."""
        return self._names.get(normalize(str(name)).strip())

    def topic_for_tag(self, tag) -> Topic:
        """The topic a tag names: a known one, or a topic of its own."""
        found = self.find(tag)
        if found:
            return found
        label = " ".join(str(tag).split())
        # keep C++ and C# apart from C
        spelled = label.replace("+", "-plus").replace("#", "-sharp")
        return Topic(id=slugify(spelled) or label, label=label, known=False)

    def get(self, topic_id) -> Topic | None:
        """The known topic with this id, or None."""
        return self._ids.get(topic_id)

    def ancestors(self, topic_id) -> tuple[str, ...]:
        """Ids of every broader topic of ``topic_id``, nearest first, each once."""
        found = self._ancestors.get(topic_id)
        return _walk(topic_id, self._parents) if found is None else found

    def descendants(self, topic_id) -> tuple[str, ...]:
        """Ids of every narrower topic of ``topic_id``, nearest first, each once."""
        found = self._descendants.get(topic_id)
        return _walk(topic_id, self.children) if found is None else found

    def _parents(self, topic_id) -> tuple[str, ...]:
        topic = self._ids.get(topic_id)
        return topic.parents if topic is not None else ()

    def with_ancestors(self, topics) -> tuple[Topic, ...]:
        """``topics`` followed by their broader topics, without repeats."""
        found = {t.id: t for t in topics}
        for topic in topics:
            for parent in self.ancestors(topic.id):
                found.setdefault(parent, self._ids[parent])
        return tuple(found.values())

    def children(self, topic_id) -> tuple[str, ...]:
        """Ids of the topics that name ``topic_id`` as a parent."""
        return self._children.get(topic_id, ())


def _walk(start, step):
    """Ids reached from ``start`` by ``step`` (id -> ids), breadth first, each once."""
    found, queue = [], list(step(start))
    while queue:
        topic_id = queue.pop(0)
        if topic_id not in found:
            found.append(topic_id)
            queue.extend(step(topic_id))
    return tuple(found)


def load_yaml(text, source) -> Any:
    """YAML data of a kb data file (safe loader); a NoteError naming the line if invalid."""
    return _load(text, source)[0]


def _load(text, source):
    """(data, node) of YAML text: the node tree tells where each item starts."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node else None) or {}, node
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NoteError(source, mark.line + 1 if mark else 1,
                        f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
    finally:
        loader.dispose()


def _item_lines(node, key):
    """1-based line of each item of the list under ``key`` of a YAML mapping node."""
    for key_node, value in getattr(node, "value", ()):
        if getattr(key_node, "value", None) == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _words(value, what, error):
    """A list of words from YAML: a list of scalars, or one scalar."""
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise error(f"'{what}' must be a list of words")
    return tuple(str(v) for v in value)


def _terms(values, generic, error):
    """Terms from a YAML list of words and ``word: {with: [...], without: [...]}`` items."""
    if values is None:
        return ()
    if not isinstance(values, list):
        raise error(f"'{'generic' if generic else 'terms'}' must be a list")
    terms = []
    for value in values:
        if isinstance(value, dict) and len(value) == 1:
            (text, context), = value.items()
            context = context or {}
            if not isinstance(context, dict) or set(context) - set(CONTEXT_KEYS):
                raise error(f"term {text!r} takes only 'with:' and 'without:' lists")
            terms.append(Term(str(text), generic, _words(context.get("with"), "with", error),
                              _words(context.get("without"), "without", error)))
        elif isinstance(value, (str, int, float)):
            terms.append(Term(str(value), generic))
        else:
            raise error("a term is a word, or 'word: {with: [...], without: [...]}'")
    return tuple(terms)


def _topic(item, number, error):
    """One topic from its YAML mapping."""
    if not isinstance(item, dict) or not item.get("id"):
        raise error(f"topic #{number} needs at least an 'id'")
    unknown = sorted(set(item) - set(TOPIC_KEYS), key=str)
    if unknown:
        raise error(f"unknown key {unknown[0]!r} (a topic has {', '.join(TOPIC_KEYS)})")
    topic_id = str(item["id"])
    if topic_id != slugify(topic_id):
        raise error(f"topic id {topic_id!r} must be a slug such as {slugify(topic_id)!r}")
    return Topic(
        id=topic_id,
        label=str(item.get("label") or topic_id),
        aliases=_words(item.get("aliases"), "aliases", error),
        terms=_terms(item.get("terms"), False, error) + _terms(item.get("generic"), True, error),
        parents=_words(item.get("parents"), "parents", error),
        with_any=_words(item.get("with"), "with", error),
        without=_words(item.get("without"), "without", error),
    )


def _check_parents(topics, lines, source):
    """Every parent is a known topic, and no topic is its own ancestor."""
    ids = {t.id: n for n, t in enumerate(topics)}
    for n, topic in enumerate(topics):
        for parent in topic.parents:
            if parent not in ids:
                raise NoteError(source, lines[n], f"topic {topic.id!r} names an unknown parent {parent!r}")
    # depth-first walk; a topic met again on the current path closes a cycle
    done, path = set(), []

    def visit(n):
        topic = topics[n]
        if topic.id in path:
            cycle = path[path.index(topic.id):] + [topic.id]
            raise NoteError(source, lines[ids[cycle[0]]],
                            "topic parents form a cycle: " + " → ".join(cycle))
        if topic.id in done:
            return
        path.append(topic.id)
        for parent in topic.parents:
            visit(ids[parent])
        path.pop()
        done.add(topic.id)

    for n in range(len(topics)):
        visit(n)


def parse_taxonomy(text, source="<string>") -> Taxonomy:
    """Read a taxonomy from YAML text (``topics: [{id, label, aliases, parents, terms, ...}]``)."""
    data, node = _load(text, source)
    items = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise NoteError(source, 1, "a taxonomy is a mapping with a 'topics:' list")
    lines = _item_lines(node, "topics")
    topics, seen = [], set()
    for number, item in enumerate(items, start=1):
        line = lines[number - 1] if number <= len(lines) else 0

        def error(message, line=line):
            return NoteError(source, line, message)

        topic = _topic(item, number, error)
        if topic.id in seen:
            raise error(f"topic id {topic.id!r} is defined twice")
        seen.add(topic.id)
        topics.append(topic)
    _check_parents(topics, lines, source)
    return Taxonomy(tuple(topics))


def load_taxonomy(path) -> Taxonomy:
    """Read the taxonomy file at ``path``."""
    try:
        with open(path, encoding="utf-8") as fp:
            return parse_taxonomy(fp.read(), str(path))
    except OSError as exc:
        raise NoteError(str(path), 0, f"cannot read the taxonomy: {exc.strerror}") from None
