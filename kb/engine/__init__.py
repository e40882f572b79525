"""The search engine under kb: the one package that imports whoosh.

The rest of kb sees only what this package defines: an :class:`IndexStore`
(an index folder with its pointer file and lock), an :class:`Index` with its
:class:`Reader` and :class:`Writer`, and queries built from
:mod:`kb.engine.query`. Another engine would be another implementation of
these few classes.
"""

from kb.engine.compat import Capabilities, capabilities
from kb.engine.index import Index
from kb.engine.reader import Matches, Reader
from kb.engine.schema import SCHEMA_VERSION
from kb.engine.store import IndexStore
from kb.engine.writer import Segment, SegmentBuilder, Writer

__all__ = ["Capabilities", "capabilities", "Index", "IndexStore", "Matches", "Reader",
           "SCHEMA_VERSION", "Segment", "SegmentBuilder", "Writer"]
