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
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from pathlib import Path
from typing import Any, Mapping

import numpy as np

SUFFIX = ".snapshot"
VERSION = 3  # bump when what is kept changes: older snapshots are then computed again
PICKLED = ".pickle"


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
        """One pickled value of the snapshot; KeyError when it is not there or cannot be read."""
        try:
            with open(self.folder / f"{name}{PICKLED}", "rb") as fp:
                return pickle.load(fp)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            raise KeyError(name) from None

    def names(self) -> set[str]:
        """The names of the pickled values kept."""
        return {p.name[:-len(PICKLED)] for p in self.folder.glob(f"*{PICKLED}")}

    def write(self, arrays: Mapping[str, np.ndarray], objects: Mapping[str, Any]) -> bool:
        """Write the snapshot (replacing none: the first writer wins); False if it cannot be.

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
                with open(tmp / f"{name}{PICKLED}", "wb") as fp:
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
