"""What a process keeps in memory between requests, valid for one data generation.

`data_generation.n` moves with every change to the data pages show (database triggers, migration
0010). A page reads it first; results kept under a generation are served only to requests that
read the same one, and the first request that reads a newer one drops them all. So nothing kept
can outlive a change, whichever process or path made it. Keys carry everything else a result
depends on (viewer, filters, the organisation's date).
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import col

from incident_tracker.db.models import DataGeneration

T = TypeVar("T")
MAX_ENTRIES = 4096
MAX_BYTES = 64 * 2**20  # of kept text and ids per process


def _size(value: object) -> int:
    """Roughly the bytes a kept value holds (pages are text; id lists are arrays)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, array):
        return value.itemsize * len(value)
    return 64


_GENERATION = select(col(DataGeneration.n)).where(col(DataGeneration.id) == 1)


def read_generation(db: Connection) -> int:
    """Read before the data it keys (a change committed in between makes the data newer than
    its key, never older)."""
    return int(db.execute(_GENERATION).scalar_one())


class Store:
    """One per process: the entries of the newest generation seen, least recently used first."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.generation = -1
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable, build: Callable[[], T]) -> T:
        """`build` always runs outside the lock: it may render a page whose fragments are
        kept too, and the lock is not reentrant (a thread would wait for itself forever)."""
        with self._lock:
            if generation > self.generation:
                self._drop_all()
                self.generation = generation
            elif key in self._entries and generation == self.generation:
                self._entries.move_to_end(key)
                return cast(T, self._entries[key][0])
        value = build()  # an older snapshot's is answered below, not kept
        with self._lock:
            if generation == self.generation:
                if key in self._entries:
                    self._bytes -= self._entries.pop(key)[1]
                size = _size(value)
                self._entries[key] = (value, size)
                self._bytes += size
                self._shrink()
        return value

    def _drop_all(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _shrink(self) -> None:
        """Least recently used first, until both limits hold."""
        while self._entries and (
            len(self._entries) > self.max_entries or self._bytes > self.max_bytes
        ):
            self._bytes -= self._entries.popitem(last=False)[1][1]

    def resize(self, max_entries: int) -> None:
        """0 keeps nothing (tests that count every statement a page runs)."""
        with self._lock:
            self.max_entries = max_entries
            self._shrink()

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class Kept:
    """A request's view of the store: the generation it read."""

    store: Store
    generation: int

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        return self.store.get(self.generation, key, build)
