"""What parsing leaves behind is given back: the string table stays the size its lasting strings need
however many new words pass, the heap's free pages go back to the system, one memory zone at a time."""
from __future__ import annotations

import threading
import time

from cymem.cymem import Pool
from spacy.strings import StringStore

from service.engine.nlp import memory


def stream_of_new_words(store: StringStore, zones: int, compact: bool) -> list[int]:
    """The table's size after each zone of 200 words never seen before."""
    sizes = []
    for zone in range(zones):
        with store.memory_zone(Pool()):
            for n in range(200):
                store.add(f"word{zone}x{n}", allow_transient=True)
        if compact:
            memory.compact_strings(store)
        sizes.append(store._map.capacity)
    return sizes


def test_without_compaction_deleted_cells_make_the_table_double():
    store = StringStore([f"lasting{n}" for n in range(3000)])
    sizes = stream_of_new_words(store, 200, compact=False)
    assert sizes[-1] >= 4 * sizes[0]


def test_compaction_keeps_the_table_at_its_size_and_every_lasting_string():
    lasting = [f"lasting{n}" for n in range(3000)]
    store = StringStore(lasting)
    sizes = stream_of_new_words(store, 200, compact=True)
    assert max(sizes) == sizes[0]
    assert all(store[store[word]] == word for word in lasting)
    assert "word199x5" not in store and len(store) == len(lasting)
    with store.memory_zone(Pool()):  # the rebuilt table takes and frees new words as before
        key = store.add("fresh", allow_transient=True)
        assert store[key] == "fresh"
    assert "fresh" not in store


def test_a_table_of_lasting_strings_is_left_to_grow():
    store = StringStore([f"lasting{n}" for n in range(3000)])
    size = store._map.capacity
    for n in range(3000, 3000 + size):
        store.add(f"lasting{n}")
        assert not memory.compact_strings(store)
    assert store._map.capacity > size


def test_threads_sharing_an_engine_take_turns_in_its_memory_zone(engine):
    """spaCy frees a zone's strings when the zone ends, whoever still uses them: one zone at a time."""

    order: list[str] = []

    def other() -> None:
        with engine.memory_zone():
            order.append("second")

    with engine.memory_zone():
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.3)
        assert thread.is_alive()
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]


def test_the_heap_is_trimmed_at_most_once_a_second():
    now = [time.monotonic() + 10]
    first = memory.release_free_memory(clock=lambda: now[0])
    now[0] += 0.5
    assert not memory.release_free_memory(clock=lambda: now[0])
    now[0] += 0.6
    assert memory.release_free_memory(clock=lambda: now[0]) == first == (memory._malloc_trim is not None)
