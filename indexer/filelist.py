"""What an index holds of each note file, kept beside it for the next run.

To tell which files changed, a run needs of each indexed file only its event
id, path, signature, taxonomy digest and session hashes. Reading those from
the index means unpickling every event's whole record (its katakana counts,
abbreviations, history): a third of a run that finds nothing to do, at 10k
sessions. After a rebuild, and after a run that changed nothing, those few
fields of every event are written beside the index for its generation; a run
on any other generation reads the index itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kb.records import KIND_EVENT

KEPT = ("id", "source", "signature", "taxonomy", "sessions")


def files_path(path: Path, name: str) -> Path:
    """Where the file list of the index ``name`` is kept (its name goes with the index's files)."""
    return path / f".{name}.files.json"


def event_records(reader) -> list[dict]:
    """The stored record of every event document of the index, whole."""
    return [doc["record"] for doc in reader.documents(KIND_EVENT)]


def kept_records(reader, path: Path) -> list[dict] | None:
    """The kept fields of every event of the reader's generation, or None if none were kept."""
    name, generation = reader.generation
    try:
        data = json.loads(files_path(path, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    records = data.get("records") if isinstance(data, dict) else None
    if data.get("generation") != generation or not isinstance(records, list) or not all(
            isinstance(r, dict) and all(k in r for k in ("id", "source", "sessions"))
            for r in records):
        return None
    return records


def keep_records(path: Path, name: str, generation: int, records: list[dict]) -> None:
    """Keep the fields a run reads of each event record, for this generation of the index."""
    target = files_path(path, name)
    tmp = target.with_name(f"{target.name}.{os.getpid()}")
    kept = [{k: r[k] for k in KEPT if k in r} for r in records]
    tmp.write_text(json.dumps({"generation": generation, "records": kept}, ensure_ascii=False),
                   encoding="utf-8")
    os.replace(tmp, target)


def is_whole(record: dict) -> bool:
    """Whether an event record is the stored one, not only its kept fields."""
    return not set(record) <= set(KEPT)
