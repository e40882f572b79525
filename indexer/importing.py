"""Import a Hatena Blog export into note files, never overwriting what a user wrote.

Each note the importer writes carries ``imported_from`` and ``import_hash`` (a hash of the
note as written) in its front matter. A later import replaces a note only while it still
hashes to that value; a note a user edited, or wrote, is left alone and reported.
"""

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.indexer.hatena import entry_to_note, note_file_name
from kb.indexer.movabletype import ExportError, parse_export

MARK_KEY = "imported_from"
HASH_KEY = "import_hash"


@dataclass(frozen=True)
class PlannedNote:
    """A note to write: file name, text (marked), and the entry line it came from."""

    file_name: str
    text: str
    origin: str


@dataclass(frozen=True)
class Skipped:
    """A file left as it was, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class ImportReport:
    """What an import did, file by file."""

    written: tuple[Path, ...] = ()
    updated: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    errors: tuple[ExportError, ...] = ()
    left_out: int = 0  # drafts and entries outside the chosen categories

    @property
    def ok(self) -> bool:
        """False when an entry could not be imported; files left alone are no failure."""
        return not self.errors

    def lines(self) -> list[str]:
        """One line per written, updated or skipped file and per error, then a summary."""
        out = [f"wrote {p}" for p in self.written]
        out += [f"updated {p}" for p in self.updated]
        out += [f"skipped {s.path}: {s.reason}" for s in self.skipped]
        out += [f"error: {e}" for e in self.errors]
        return out + [self.summary()]

    def summary(self) -> str:
        """The counts in one line."""
        counts = (
            f"{len(self.written)} written, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped, "
            f"{len(self.errors)} errors"
        )
        return counts + (f"; {self.left_out} entries left out" if self.left_out else "")


def import_hatena(export_path, out_dir, blog_url=None, categories=(), include_drafts=False) -> ImportReport:
    """Write one note per entry of a Hatena Blog export into ``out_dir``; an ImportReport."""
    export_path = Path(export_path)
    text = read_export(export_path)
    notes, errors, left_out = plan_hatena_notes(
        text, str(export_path), blog_url, categories, include_drafts
    )
    report = write_notes(notes, Path(out_dir))
    return ImportReport(
        report.written, report.updated, report.unchanged, report.skipped, tuple(errors), left_out
    )


def read_export(path) -> str:
    """The text of an export file (UTF-8, a BOM allowed); an ExportError if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(path, 0, f"cannot read the export: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExportError(path, line, "the export is not UTF-8") from None


def plan_hatena_notes(text, source, blog_url=None, categories=(), include_drafts=False) -> tuple[list[PlannedNote], list[ExportError], int]:
    """The notes for an export's text: (PlannedNotes, ExportErrors, entries left out)."""
    parsed = parse_export(text, source)
    wanted = {c.casefold() for c in categories}
    notes, errors, left_out, taken = [], list(parsed.errors), 0, set()
    for entry in parsed.entries:
        if (entry.is_draft and not include_drafts) or (
            wanted and not wanted & {c.casefold() for c in entry.categories}
        ):
            left_out += 1
            continue
        if not entry.basename:
            errors.append(ExportError(source, entry.line, "entry has no BASENAME to name it by"))
            continue
        name = note_file_name(entry.basename)
        if name.casefold() in taken:
            # Two basenames that clean to one name: keep both, told apart by a hash.
            digest = hashlib.sha256(entry.basename.encode()).hexdigest()[:8]
            name = f"{name[:-3]}-{digest}.md"
        try:
            note = entry_to_note(entry, blog_url, source, note_id=name[:-3])
        except ExportError as error:
            errors.append(error)
            continue
        taken.add(name.casefold())
        origin = f"hatena:{entry.basename}"
        notes.append(PlannedNote(name, mark_note(note, origin), origin))
    return notes, sorted(errors, key=lambda error: error.line), left_out


def mark_note(text, origin) -> str:
    """The note with the importer's mark and the hash of the marked note in its front matter."""
    end = _front_matter_end(text)
    mark = yaml.safe_dump({MARK_KEY: origin}, allow_unicode=True, width=10_000)
    marked = text[:end] + mark + text[end:]
    return marked[: end + len(mark)] + _hash_line(marked) + marked[end + len(mark) :]


def importer_origin(text) -> str | None:
    """The origin a note was imported from if it is unedited since, else None."""
    end = _front_matter_end(text)
    if end < 0:
        return None
    lines = text[:end].splitlines(keepends=True)
    hash_lines = [line for line in lines if line.startswith(f"{HASH_KEY}:")]
    mark_lines = [line for line in lines if line.startswith(f"{MARK_KEY}:")]
    if len(hash_lines) != 1 or len(mark_lines) != 1:
        return None
    unhashed = text.replace(hash_lines[0], "", 1)
    if _hash_line(unhashed) != hash_lines[0]:
        return None
    return yaml.safe_load(mark_lines[0])[MARK_KEY]


def write_notes(notes, out_dir) -> ImportReport:
    """Write planned notes into ``out_dir``, replacing only unedited imported notes."""
    written, updated, unchanged, skipped = [], [], [], []
    out_dir.mkdir(parents=True, exist_ok=True)
    for note in notes:
        path = out_dir / note.file_name
        try:
            current = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            _write_atomically(path, note.text)
            written.append(path)
            continue
        except UnicodeDecodeError:
            current = ""
        if current == note.text:
            unchanged.append(path)
            continue
        origin = importer_origin(current)
        if origin is None:
            skipped.append(Skipped(path, "written or edited by hand; not replaced"))
        elif origin != note.origin:
            skipped.append(Skipped(path, f"imported from {origin}, not {note.origin}"))
        else:
            _write_atomically(path, note.text)
            updated.append(path)
    return ImportReport(tuple(written), tuple(updated), tuple(unchanged), tuple(skipped))


def _front_matter_end(text):
    """Index of the closing ``---`` line of the front matter, or -1."""
    if not text.startswith("---\n"):
        return -1
    end = text.find("\n---\n", 3)
    return end + 1 if end >= 0 else -1


def _hash_line(text):
    return f"{HASH_KEY}: sha256:{hashlib.sha256(text.encode()).hexdigest()}\n"


def _write_atomically(path, text):
    """Write through a temporary file so a crash never leaves half a note."""
    temp = path.with_name(f".{path.name}.importing")
    try:
        temp.write_bytes(text.encode("utf-8"))
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
