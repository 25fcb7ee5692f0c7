"""The bounded store of drawn pages (adapters/page_store.py): least recently used out first, by bytes."""

import sys

from claimkit.adapters.page_store import PageStore


def cost(page: str) -> int:
    return sys.getsizeof(page) + 200


def test_the_least_recently_used_goes_first_once_the_bytes_are_exceeded() -> None:
    page = "x" * 1000
    store = PageStore(3 * cost(page))
    for key in (b"a", b"b", b"c"):
        store.put(key, page)
    assert store.get(b"a") == page  # "a" used: "b" is now the oldest
    store.put(b"d", page)
    assert store.get(b"b") is None and store.get(b"a") == store.get(b"c") == store.get(b"d") == page
    assert len(store) == 3 and store.size == 3 * cost(page) <= store.max_bytes


def test_an_arabic_page_counts_its_wider_characters_and_a_replaced_entry_is_counted_once() -> None:
    french, arabic = "é" * 1000, "ب" * 1000
    assert cost(arabic) > cost(french)
    store = PageStore(cost(arabic) + cost(french))
    store.put(b"k", french)
    store.put(b"k", arabic)
    assert store.size == cost(arabic) and len(store) == 1


def test_a_page_larger_than_the_store_is_not_kept_and_zero_is_off() -> None:
    store = PageStore(500)
    store.put(b"big", "x" * 1000)
    assert store.get(b"big") is None and store.size == 0 and store.misses == 1
    off = PageStore(0)
    off.put(b"k", "x")
    assert not off.enabled and off.get(b"k") is None
    store.put(b"k", "x")
    store.clear()
    assert len(store) == 0 and store.size == 0
