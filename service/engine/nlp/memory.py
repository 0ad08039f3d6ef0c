"""What parsing leaves behind, given back: the string table's deleted cells and the heap's free pages.

spaCy's memory zone frees the strings of the words a request brought, but its hash table (preshed)
only marks their cells deleted, and deleted cells count as filled: a table 60% filled doubles. So a
table whose live strings never change doubles again and again while new words pass through (in a
worker, 8 MiB more after about 3,500 requests of unseen words, then 16 MiB, then 32).
``compact_strings`` rebuilds the table at its present size with only the live strings once deleted
cells fill a tenth of it and it is half full, before preshed would double it.

The memory a request freed stays in the C heap (glibc's malloc keeps freed pages, in a separate
arena for each thread that parsed), and a worker's resident memory crept up by some 4 MiB per
thousand requests of new words. ``release_free_memory`` asks glibc to hand its free pages back
(``malloc_trim``), at most once a second: about 1.4 ms a call, so at most 0.14% of the time.
Elsewhere than glibc it does nothing.
"""
from __future__ import annotations

import ctypes
import time

from preshed.maps import PreshMap
from spacy.strings import StringStore

REBUILD_AT = 0.5  # of the table filled, live and deleted cells (preshed doubles at 0.6)
DELETED_AT_LEAST = 0.1  # of the table deleted: a table mostly of live strings may grow
TRIM_EVERY_SECONDS = 1.0

_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
_last_trim = 0.0


def compact_strings(strings: StringStore) -> bool:
    """Rebuild the table without its deleted cells when they would make it double; outside any memory
    zone only (every string is then a lasting one). True when it was rebuilt."""
    table = strings._map
    filled, size = len(table), table.capacity
    if filled < REBUILD_AT * size or filled - len(strings) < DELETED_AT_LEAST * size:
        return False
    fresh = PreshMap(size)
    for key, value in table.items():
        fresh[key] = value
    strings._map = fresh
    return True


def release_free_memory(clock=time.monotonic) -> bool:
    """Give the heap's free pages back to the system, unless that was done less than a second ago.
    True when it was done."""
    global _last_trim
    now = clock()
    if _malloc_trim is None or now - _last_trim < TRIM_EVERY_SECONDS:
        return False
    _last_trim = now
    _malloc_trim(0)
    return True
