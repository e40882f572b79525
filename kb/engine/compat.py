"""Which whoosh this is, and whether kb may read the internals it was written against.

kb reads whoosh's posting blocks, field-length columns and segment writer
directly (about ten times faster than its public matchers). Those internals
are private: they are only used with the version kb pins, and only when each
one is found. Otherwise every search goes through whoosh's public API, which
answers the same, slower.
"""

from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

PINNED = "2.7.5"  # whoosh-reloaded: the version whose internals kb reads
DISTRIBUTION = "whoosh-reloaded"


@dataclass(frozen=True)
class Capabilities:
    """What kb may use of this whoosh."""

    version: str
    fast_postings: bool  # read posting blocks and length columns as arrays
    segment_writer: bool  # write segments in worker processes
    mapped_files: bool  # read index files through memory maps
    per_doc_files: bool = False  # write a new segment's per-document files without its writer

    @property
    def message(self) -> str | None:
        """What to tell the user when something runs the slower way, or None."""
        if self.fast_postings and self.segment_writer and self.mapped_files:
            return None
        return (f"whoosh {self.version} is installed; kb reads the internals of {DISTRIBUTION} "
                f"{PINNED} and runs slower without them: "
                f"pip install '{DISTRIBUTION}=={PINNED}'")


def installed_version() -> str:
    """The installed whoosh version, as its distribution names it."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        import whoosh

        return whoosh.versionstring()


def _has(module: str, *names: str) -> bool:
    try:
        found = __import__(module, fromlist=["_"])
    except ImportError:
        return False
    for name in names:
        found_here = found
        for part in name.split("."):
            if not hasattr(found_here, part):
                return False
            found_here = getattr(found_here, part)
    return True


@lru_cache(maxsize=1)
def capabilities() -> Capabilities:
    """What this whoosh lets kb do (looked up once per process)."""
    version = installed_version()
    pinned = version == PINNED
    return Capabilities(
        version=version,
        fast_postings=pinned
        and _has("whoosh.codec.whoosh3", "W3LeafMatcher._read_ids", "W3LeafMatcher._read_weights",
                 "W3LeafMatcher._read_values", "W3LeafMatcher._goto", "_lenfield",
                 "LENGTHS_COLUMN")
        and _has("whoosh.scoring", "BM25F")
        and _has("whoosh.util.numeric", "byte_to_length"),
        # segments are written into whoosh's own files without its field writer's calls
        segment_writer=pinned and _has("whoosh.writing", "SegmentWriter._finalize_segment")
        and _has("whoosh.codec.whoosh3", "W3FieldWriter", "W3PerDocReader._cached_reader",
                 "LENGTHS_COLUMN", "_lenfield")
        and _has("whoosh.filedb.filetables", "OrderedHashWriter", "md5_hash"),
        mapped_files=pinned and _has("whoosh.filedb.structfile", "StructFile"),
        per_doc_files=pinned
        and _has("whoosh.codec.whoosh3", "W3PerDocWriter", "STORED_COLUMN._child._level",
                 "STORED_COLUMN._child._module", "LENGTHS_COLUMN", "_lenfield",
                 "W3Codec.column_filename")
        and _has("whoosh.filedb.compound", "CompoundWriter._readback")
        and _has("whoosh.columns", "NumericColumn", "VarBytesColumn", "PickleColumn",
                 "CompressedBytesColumn")
        and _has("whoosh.util.numeric", "length_to_byte"),
    )


SLOW = Capabilities(version="public API only", fast_postings=False, segment_writer=False,
                    mapped_files=False)
