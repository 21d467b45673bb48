"""Reciprocal borrowing in the demo network, made through the services staff use.

`load_reciprocal` runs after the demo network is loaded. The university forum's shared-card
agreement (FPPTI) gets its borrowing terms; the eastern network (JPIT) gets a reciprocal agreement of its
own, open to the public too (both in ``data/reciprocal.toml``). The reader ``pembaca`` (Pattimura
University, Ambon) holds a pass, visited Hasanuddin (Makassar) and borrowed there under the forum's terms;
a public reader of Hasanuddin, enrolled by her library, borrowed at Pattimura under the eastern network's
terms (the forum's admit no public readers) and is late with one book — every desk refuses her until it
is back; Hasanuddin owes Pattimura the eastern network's deposit for it in the ledger until then.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jaringan.network import services as network_services
from jaringan.network.models import Agreement, Library, Network
from jaringan.network.permissions import SYSTEM, principal_for
from jaringan.reciprocal import services
from jaringan.reciprocal.models import Loan, Pass

from . import datafiles, history

#: Items the past year's visitors borrowed (and brought back), by host library.
PAST_ITEMS = {
    "UNHAS": ("Sejarah Bugis-Makassar", "Hukum adat Sulawesi Selatan", "Ekologi pesisir Sulawesi",
              "Lontara Bugis", "Perikanan tangkap di Selat Makassar"),
    "UNPATTI": ("Bahasa-bahasa Maluku", "Cengkih dan pala dalam sejarah", "Pela gandong dan perdamaian",
                "Terumbu karang Teluk Ambon"),
}


def _staff(username: str):
    return principal_for(get_user_model().objects.get(username=username))


def load_reciprocal(*, past: bool = False) -> int:
    """Make the demo's reciprocal borrowing once; how many loans were made (0 if there were passes already).
    ``past``: the pass holders' visits of the past year too, each dated back to its month."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load(past)


@transaction.atomic
def _load(past: bool) -> int:
    if Pass.objects.exists() or not Network.objects.filter(code="JPIT").exists():
        return 0
    data = datafiles.reciprocal()
    for row in data["agreements"]:
        if not Agreement.objects.filter(code=row["code"]).exists():
            fields = {k: v for k, v in row.items() if k != "network"}
            network_services.agreement_save(actor=SYSTEM, network=Network.objects.get(code=row["network"]),
                                            data=fields, parties=[], responsibilities=[])
    for code, terms in data["terms"].items():
        services.terms_save(actor=SYSTEM, agreement=Agreement.objects.get(code=code), data=terms)
    unhas, unpatti = Library.objects.get(code="UNHAS"), Library.objects.get(code="UNPATTI")
    staf_unhas, staf_unpatti = _staff("staf.unhas"), _staff("staf.unpatti")
    reader = principal_for(get_user_model().objects.get(username="pembaca"))
    applied = services.pass_apply(actor=reader, category="student", home_user_id="2019-41-033")
    ours = services.pass_decide(actor=staf_unpatti, pass_id=applied.pk, approve=True)
    theirs = services.pass_enrol(actor=staf_unhas, library=unhas, data={
        "reader_name": "Nurul Hikmah Rahman", "home_user_id": "H071201045", "category": "public",
        "reader_email": "nurul.hikmah@demo.jaringan.invalid"})
    if past:  # the passes were issued before the year's visits
        a_year = timedelta(days=30 * history.MONTHS + 5)
        Pass.objects.filter(pk__in=[ours.pk, theirs.pk]).update(created=F("created") - a_year,
                                                                 decided_at=F("decided_at") - a_year)
    before = _past_visits([(staf_unhas, unhas, ours), (staf_unpatti, unpatti, theirs)]) if past else []
    services.visit_check(actor=staf_unhas, host=unhas, code=ours.code)
    made = [
        services.loan_create(actor=staf_unhas, host=unhas, code=ours.code, item_barcode="UNHAS-0041177",
                             title="Sejarah Maluku: banda, Ambon, dan Ternate"),
        services.loan_create(actor=staf_unhas, host=unhas, code=ours.code, item_barcode="UNHAS-0052210",
                             title="Kebudayaan Bugis"),
    ]
    services.loan_return(actor=staf_unhas, loan_id=made[1].pk)
    made = before + made
    services.visit_check(actor=staf_unpatti, host=unpatti, code=theirs.code)
    late = services.loan_create(actor=staf_unpatti, host=unpatti, code=theirs.code, item_barcode="UNPATTI-88102",
                                title="Pela dan gandong di Maluku Tengah")
    made.append(late)
    # Lent three weeks ago under the eastern network's seven-day terms: overdue now (the demo shows a refusal
    # and its reason).
    lent = timezone.now() - timedelta(days=21)
    Loan.objects.filter(pk=late.pk).update(lent_at=lent, due=lent.date() + timedelta(days=7))
    late.ledger.update(on=timezone.localdate(lent))  # its deposit in the members' ledger, held since then
    services.overdue_tick()
    return len(made)


def _past_visits(desks) -> list[Loan]:
    """The past year's visits of the two pass holders (about one a month each, most with a loan brought back
    a week or two later), each dated back to its month (`history`); the loans made."""
    from jaringan.reciprocal.models import Visit

    rng = random.Random(history.SEED)
    made = []
    for months_back in range(history.MONTHS - 1, 0, -1):
        for staff, host, holder in desks:
            if rng.random() < 0.3:
                continue
            services.visit_check(actor=staff, host=host, code=holder.code)
            visit = Visit.objects.filter(holder=holder, host=host).latest("pk")
            if rng.random() < 0.7:
                title = rng.choice(PAST_ITEMS[host.code])
                loan = services.loan_create(actor=staff, host=host, code=holder.code, title=title,
                                            item_barcode=f"{host.code}-{rng.randrange(10000, 99999)}")
                services.loan_return(actor=staff, loan_id=loan.pk)
                made.append(loan)
            days = history.days_back(rng, months_back)
            history.age_visit(visit, days, kept_days=min(rng.randrange(5, 15), days - 1))
    return made
