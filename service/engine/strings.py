"""The string store's hash table, kept at the size the model's own strings need.

spaCy's memory zone frees the strings of the words a request brought, but its hash table (preshed)
only marks their cells deleted, and deleted cells count as filled: a table 60% filled doubles. So a
table whose live strings never change doubles again and again while new words pass through (in a
worker, 8 MiB more after about 3,500 requests of unseen words, then 16 MiB, then 32). ``compact``
rebuilds the table at its present size with only the live strings once deleted cells fill a tenth
of it and it is half full, before preshed would double it.
"""
from __future__ import annotations

from preshed.maps import PreshMap
from spacy.strings import StringStore

REBUILD_AT = 0.5  # of the table filled, live and deleted cells (preshed doubles at 0.6)
DELETED_AT_LEAST = 0.1  # of the table deleted: a table mostly of live strings may grow


def compact(strings: StringStore) -> bool:
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
