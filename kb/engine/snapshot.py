"""What kb computes once per index generation, kept on disk beside the index.

A search server computes per generation a few arrays (each session's event,
the sessions in date order, ...) and word lists. Computed by every server
process at start, they cost seconds and memory in each; kept here, written
once when the notes are indexed, arrays are memory-mapped (numpy's
``mmap_mode``: pages every process shares, read only when used) and each
other value read, when first needed, in one unpickling. A snapshot belongs to one generation of
one index and is written atomically, as a folder renamed into place; older
ones are removed when a newer is written (a process still using one keeps
its mapped files until it lets go of them).

A mapping with many entries of which a request reads one (every event's
record, at 100k sessions 10,000 of them: 1 s to unpickle and about 100 MB in
every process) is kept as a :class:`Shelf`, each entry unpickled when asked for.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

SUFFIX = ".snapshot"
VERSION = 5  # bump when what is kept changes: older snapshots are then computed again
PICKLED = ".pickle"
SHELVED = ".shelf"


class Shelf(Mapping):
    """A mapping kept on disk, each value unpickled when it is asked for.

    The file holds a pickled header (the keys and where each value ends)
    followed by each value pickled on its own; it is memory-mapped, so
    processes share its pages and none reads more than it asks for.
    """

    def __init__(self, path: Path | str) -> None:
        with open(path, "rb") as fp:
            keys, ends = pickle.load(fp)
            self._base = fp.tell()
            self._map = mmap.mmap(fp.fileno(), 0, access=mmap.ACCESS_READ)
        if len(keys) != len(ends) or (ends and self._base + ends[-1] != len(self._map)):
            raise ValueError(f"{path}: the shelf's header does not match its length")
        self._at = {key: i for i, key in enumerate(keys)}
        self._ends = ends

    @staticmethod
    def write(path: Path | str, values: Mapping) -> None:
        """Write ``values`` as a shelf at ``path``."""
        blobs = [pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for v in values.values()]
        ends, end = [], 0
        for blob in blobs:
            end += len(blob)
            ends.append(end)
        with open(path, "wb") as fp:
            pickle.dump((list(values), ends), fp, protocol=pickle.HIGHEST_PROTOCOL)
            for blob in blobs:
                fp.write(blob)

    def __getitem__(self, key: Any) -> Any:
        i = self._at[key]
        start = self._base + (self._ends[i - 1] if i else 0)
        return pickle.loads(self._map[start:self._base + self._ends[i]])

    def __contains__(self, key: object) -> bool:
        return key in self._at

    def __iter__(self) -> Iterator:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class Pickled(bytes):
    """A value already pickled (by the process that computed it), kept as it is."""


class Snapshot:
    """The snapshot folder of one index generation: arrays and pickled values by name."""

    def __init__(self, index_dir: Path | str, generation: tuple[str, int]):
        name, number = generation
        self.index_dir = Path(index_dir)
        self.prefix = f"{name}_"
        self.folder = self.index_dir / f"{name}_{number}_v{VERSION}{SUFFIX}"

    def exists(self) -> bool:
        """Whether the snapshot was written."""
        return self.folder.is_dir()

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array of the snapshot, memory-mapped read-only; empty when there is none."""
        found = {}
        with contextlib.suppress(OSError, ValueError):
            for path in self.folder.glob("*.npy"):
                found[path.stem] = np.load(path, mmap_mode="r", allow_pickle=False)
        return found

    def value(self, name: str) -> Any:
        """One value of the snapshot; KeyError when it is not there or cannot be read."""
        try:
            shelved = self.folder / f"{name}{SHELVED}"
            if shelved.exists():
                return Shelf(shelved)
            with open(self.folder / f"{name}{PICKLED}", "rb") as fp:
                return pickle.load(fp)
        except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError):
            raise KeyError(name) from None

    def names(self) -> set[str]:
        """The names of the values kept."""
        return {p.stem for suffix in (PICKLED, SHELVED) for p in self.folder.glob(f"*{suffix}")}

    def write(self, arrays: Mapping[str, np.ndarray], objects: Mapping[str, Any],
              shelved: frozenset[str] = frozenset()) -> bool:
        """Write the snapshot (replacing none: the first writer wins); False if it cannot be.

        The values named in ``shelved``, mappings, are kept as :class:`Shelf` files.

        An index folder a server may only read is not an error: the values
        are then computed in memory, as before they were kept.
        """
        if self.exists():
            return True
        tmp = self.index_dir / f".{self.folder.name}.{os.getpid()}.tmp"
        try:
            tmp.mkdir(parents=True, exist_ok=True)
            for name, array in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            for name, value in objects.items():
                if name in shelved:
                    Shelf.write(tmp / f"{name}{SHELVED}", value)
                    continue
                with open(tmp / f"{name}{PICKLED}", "wb") as fp:
                    if isinstance(value, Pickled):
                        fp.write(value)
                    else:
                        pickle.dump(value, fp, protocol=pickle.HIGHEST_PROTOCOL)
            os.rename(tmp, self.folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return self.exists()
        self.remove_older()
        return True

    def remove_older(self) -> None:
        """Remove the snapshots of this index's other generations."""
        for entry in self.index_dir.glob(f"{self.prefix}*{SUFFIX}"):
            if entry != self.folder:
                shutil.rmtree(entry, ignore_errors=True)
