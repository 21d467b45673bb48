"""`match_if_same` reaches the verdict of `match` on every pair of the evaluation's kinds."""

from dataclasses import replace

from jaringan.core.catalog.matching import match, match_if_same

from tests.catalog.items import loc_items


def test_same_verdict_as_the_full_match_on_real_records_and_their_variants():
    records = [i.record for i in loc_items(40)]
    variants = []
    for r in records[:20]:
        variants += [
            replace(r, edition="2nd ed."), replace(r, format="serial"), replace(r, part="v. 2"),
            replace(r, subtitle=None), replace(r, year=(r.year or 2000) + 1), replace(r, isbns=()),
        ]
    pool = records + variants
    for a in pool[:60]:
        for b in pool:
            full = match(a, b)
            quick = match_if_same(a, b)
            assert (quick is not None) == full.same
            if quick is not None:
                assert quick == full
