"""The one placement rule: which edition a record joins, on every path (no database)."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from jaringan.core.catalog.matching import MATCH_THRESHOLD, MatchDecision, Member, cluster, judge, match, place
from jaringan.core.catalog.matching import placement as p
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(title="Pengantar ilmu perpustakaan", authors=("Basuki, Sulistyo",), publisher="Gramedia",
                       year=1991, pages=345, format="book")


def _scores(table: dict[tuple[str, str], int]):
    """A decision function with set scores, by the records' titles: the rule's arithmetic alone."""
    def decide(a, b):
        score = table[(a.title, b.title)]
        return MatchDecision(same=score >= MATCH_THRESHOLD, score=score, comparisons=())
    return decide


def test_the_representative_decides_and_below_it_the_mean():
    """A citation typed a third way: the clean representative decides; just below, the other members count."""
    clean, once, twice = (replace(BOOK, title=t) for t in ("clean", "once", "twice"))
    members = [Member(1, clean), Member(2, once)]
    decisive = judge(twice, members, decide=_scores({("twice", "clean"): 65, ("twice", "once"): 10}))
    assert decisive.score == 65 and [e["with"] for e in decisive.evidence] == [1]
    close = judge(twice, members, decide=_scores({("twice", "clean"): 45, ("twice", "once"): 60}))
    assert close.score == 52 and [e["with"] for e in close.evidence] == [1, 2]
    assert judge(twice, members, decide=_scores({("twice", "clean"): 45, ("twice", "once"): 50})) is None


def test_the_first_member_must_be_close():
    first, other = replace(BOOK, title="first"), replace(BOOK, title="other")
    rule = MATCH_THRESHOLD - p.REPRESENTATIVE_SLACK
    assert judge(BOOK, [Member(1, first), Member(2, other)], decide=_scores(
        {(BOOK.title, "first"): rule - 1, (BOOK.title, "other"): 200})) is None
    assert judge(BOOK, [Member(1, first), Member(2, other)], decide=_scores(
        {(BOOK.title, "first"): rule, (BOOK.title, "other"): 200})) is not None
    assert judge(BOOK, [Member(1, other), Member(2, first)], decide=_scores(
        {(BOOK.title, "first"): rule - 1, (BOOK.title, "other"): 200})) is not None  # decisive: vetoes only


def test_a_loose_chain_does_not_snowball():
    a = BOOK
    b = replace(BOOK, publisher=None, pages=None)
    c = replace(BOOK, publisher="Universitas Terbuka", pages=420, year=None)
    assert match(a, b).same and match(b, c).same and not match(a, c).same
    assert judge(c, [Member(1, a), Member(2, b)]) is None
    assert judge(c, [Member(2, b)]) is not None


def test_any_member_that_vetoes_rules_the_edition_out():
    volume_two = replace(BOOK, part="Jilid 2")
    set_record = replace(BOOK, part=None, pages=None)  # a set: "2 v.", no page count of its own
    assert judge(volume_two, [Member(1, replace(BOOK, part="Jilid 2")), Member(2, set_record)]) is None
    assert judge(volume_two, [Member(1, replace(BOOK, part="Jilid 2"))]) is not None


def test_members_described_alike_are_compared_once_and_at_most_eight_descriptions():
    calls = []

    def decide(a, b):
        calls.append(b)
        return MatchDecision(same=False, score=MATCH_THRESHOLD - 5, comparisons=())  # never decisive alone

    copies = [Member(n, BOOK, description=42) for n in range(100)]
    judge(BOOK, copies, decide=decide)
    assert len(calls) == 1
    calls.clear()
    varied = [Member(n, replace(BOOK, subtitle=f"cetakan {n}"), description=n) for n in range(50)]
    judge(BOOK, varied, decide=decide)
    assert len(calls) == p.MAX_DESCRIPTIONS_COMPARED


def test_a_decisive_representative_costs_one_decision_however_many_hold_the_edition():
    calls = []

    def decide(a, b):
        calls.append(b)
        return match(a, b)

    holders = [Member(n, replace(BOOK, subtitle=f"cetakan {n}" if n else None), description=n) for n in range(200)]
    judgement = judge(BOOK, holders, decide=decide)
    assert judgement is not None and len(calls) == 1 and judgement.evidence[0]["with"] == 0


def test_place_takes_the_best_score_and_the_earlier_on_ties():
    weaker = replace(BOOK, pages=None, publisher=None)
    placement = place(BOOK, [("weak", [Member(1, weaker)]), ("strong", [Member(2, BOOK)]), ("tie", [Member(3, BOOK)])])
    assert placement.edition == "strong" and placement.score == match(BOOK, BOOK).score
    assert place(BOOK, []).edition is None and place(BOOK, []).evidence == []


BOOKS = [
    BOOK,
    CanonicalRecord(title="Laskar pelangi", authors=("Hirata, Andrea",), publisher="Bentang", year=2005,
                    pages=529, format="book"),
    CanonicalRecord(title="Bumi manusia", authors=("Toer, Pramoedya Ananta",), publisher="Hasta Mitra", year=1980,
                    pages=351, format="book"),
]


def _copies(book: CanonicalRecord, n: int) -> list[CanonicalRecord]:
    """The way other libraries type the same book: case, a dropped page count, inverted author."""
    forms = [book, replace(book, title=book.title.upper()), replace(book, pages=None),
             replace(book, authors=tuple(" ".join(reversed(a.split(", "))) for a in book.authors))]
    return [replace(forms[i % len(forms)], library=f"L{i}") for i in range(n)]


@settings(max_examples=40, deadline=None)
@given(st.permutations(list(range(12))))
def test_the_same_records_in_any_order_give_the_same_editions(order):
    records = [r for book in BOOKS for r in _copies(book, 4)]
    shuffled = [records[i] for i in order]
    groups = {frozenset(order[i] for i in members) for members in cluster(shuffled)}
    assert groups == {frozenset(range(0, 4)), frozenset(range(4, 8)), frozenset(range(8, 12))}
