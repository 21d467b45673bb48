"""The process's bounded memories (``jaringan.lru``): nothing past their size, the oldest forgotten first."""

from jaringan.lru import LRU, PairSet


def test_pairs_are_kept_up_to_the_size_the_oldest_forgotten_first():
    kept = PairSet(lambda: 10)
    for n in range(1, 101):
        kept.add((n, -n))
        assert len(kept) <= 10
        # The newest half of the size at least is always there, whatever was forgotten.
        assert all((m, -m) in kept for m in range(max(1, n - 4), n + 1))
    assert (1, -1) not in kept and (90, -90) not in kept
    assert (96, -96) in kept and (100, -100) in kept
    assert (100, 100) not in kept  # a pair is ordered and signed as given


def test_a_pair_added_again_is_kept_once():
    kept = PairSet(lambda: 10)
    for _ in range(3):
        kept.add((2**63 - 1, -(2**63)))
    assert len(kept) == 1 and (2**63 - 1, -(2**63)) in kept


def test_a_lowered_size_is_obeyed_and_zero_keeps_nothing():
    size = [10]
    kept = PairSet(lambda: size[0])
    for n in range(9):
        kept.add((n, n))
    size[0] = 4
    kept.add((100, 100))
    assert len(kept) <= 4 and (100, 100) in kept
    size[0] = 0
    kept.add((200, 200))
    assert (200, 200) not in kept
    kept.clear()
    assert len(kept) == 0


def test_least_recently_used_entries_go_first():
    cache = LRU(lambda: 2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" used: "b" is now the oldest
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
