"""The topic taxonomy: topics with ids, labels, aliases and match terms."""

from dataclasses import dataclass

import yaml

from kb.analysis import normalize
from kb.errors import NoteError
from kb.text import slugify


@dataclass(frozen=True)
class Topic:
    """A topic sessions can be filed under."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    known: bool = True  # False for a tag the taxonomy does not know


@dataclass(frozen=True)
class Taxonomy:
    """All known topics, and the lookups from any name to a topic."""

    topics: tuple[Topic, ...] = ()

    def __post_init__(self):
        names = {}
        for topic in self.topics:
            for name in (topic.id, topic.label, *topic.aliases):
                names.setdefault(normalize(name), topic)
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_ids", {t.id: t for t in self.topics})

    def find(self, name):
        """The known topic with this id, label or alias (any case or width), or None."""
        return self._names.get(normalize(str(name)).strip())

    def topic_for_tag(self, tag):
        """The topic a tag names: a known one, or a topic of its own."""
        found = self.find(tag)
        if found:
            return found
        label = " ".join(str(tag).split())
        # keep C++ and C# apart from C
        spelled = label.replace("+", "-plus").replace("#", "-sharp")
        return Topic(id=slugify(spelled) or label, label=label, known=False)

    def get(self, topic_id):
        """The known topic with this id, or None."""
        return self._ids.get(topic_id)


def load_yaml(text, source):
    """YAML data of a kb data file (safe loader); a NoteError naming the line if invalid."""
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise NoteError(source, mark.line + 1 if mark else 1,
                        f"invalid YAML: {getattr(exc, 'problem', exc)}") from None


def parse_taxonomy(text, source="<string>"):
    """Read a taxonomy from YAML text (``topics: [{id, label, aliases, terms}]``)."""
    data = load_yaml(text, source)
    items = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise NoteError(source, 1, "a taxonomy is a mapping with a 'topics:' list")
    topics, seen = [], set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            raise NoteError(source, 0, f"topic #{number} needs at least an 'id'")
        topic_id = str(item["id"])
        if topic_id != slugify(topic_id):
            raise NoteError(source, 0, f"topic id {topic_id!r} must be a slug such as {slugify(topic_id)!r}")
        if topic_id in seen:
            raise NoteError(source, 0, f"topic id {topic_id!r} is defined twice")
        seen.add(topic_id)
        topics.append(Topic(
            id=topic_id,
            label=str(item.get("label") or topic_id),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
            terms=tuple(str(t) for t in item.get("terms") or ()),
        ))
    return Taxonomy(tuple(topics))


def load_taxonomy(path):
    """Read the taxonomy file at ``path``."""
    try:
        with open(path, encoding="utf-8") as fp:
            return parse_taxonomy(fp.read(), str(path))
    except OSError as exc:
        raise NoteError(str(path), 0, f"cannot read the taxonomy: {exc.strerror}") from None
