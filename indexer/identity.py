"""Which file a note is, and which note owns an event id once a run is done.

A note is known by its path, spelled one way: the real path of its folder and
its own name. ``notes``, ``./notes/``, ``notes/../notes`` and a symbolic link
to the folder all name the same files, so indexing one spelling after another
neither duplicates nor drops anything. (A note that is itself a link keeps its
own name: that is where its author keeps it.)

Event ids are settled for the whole run at once, as if every change happened
together: a renamed or moved note takes its id with it, and two notes that
swap ids both succeed.
"""

import os


class Paths:
    """Spells paths the one way kb knows notes by; remembers real folders for one run."""

    def __init__(self) -> None:
        self._real = {}

    def folder(self, path) -> str:
        """The real path of a folder (links and ``..`` resolved)."""
        path = os.path.abspath(path)
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = os.path.realpath(path)
        return real

    def source(self, path) -> str:
        """A note's path: its folder's real path and its own name."""
        folder, name = os.path.split(os.path.abspath(path))
        return os.path.join(self.folder(folder), name)

    def root(self, path) -> str:
        """A path given to ``kb index``: a folder's real path, or a note's path."""
        return self.folder(path) if os.path.isdir(path) else self.source(path)


def settle_ids(held: dict, claims: dict, incumbents: dict) -> dict:
    """Which claims of event ids fail, and to whom: {source: owner's source}.

    ``held`` maps the notes that keep their indexed state (unchanged, unreadable
    or outside this run) to their ids; ``claims`` maps the notes read in this
    run to the id they now have (None for a draft); ``incumbents`` maps every
    indexed note to the id it had. A claim loses to a note that keeps the id,
    then to the note that had it, then to the claim of an earlier file. A note
    that loses keeps what was indexed from it, its old id included, which may
    in turn beat a claim that counted on that id being free: so this repeats
    until nothing changes (each round only adds losers).
    """
    held = dict(held)
    order = sorted(claims, key=lambda s: incumbents.get(s) != claims[s])  # stable: files' order
    lost = {}
    while True:
        owners = {event_id: source for source, event_id in held.items()}
        new = {}
        for source in order:
            event_id = claims[source]
            if source in lost or event_id is None:
                continue
            owner = owners.setdefault(event_id, source)
            if owner != source:
                new[source] = owner
        if not new:
            return lost
        lost.update(new)
        held.update({s: incumbents[s] for s in new if s in incumbents})
