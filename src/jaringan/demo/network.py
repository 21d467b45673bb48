"""The demo network (``data/network.toml``), loaded through the same services staff use."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from jaringan.core import membership as ms

from jaringan.network import borders, services
from jaringan.network.models import Agreement, Library, Network
from jaringan.network.permissions import SYSTEM

from . import datafiles

_ACTION_TO = {
    ms.State.ADMITTED: [ms.Action.ADMIT],
    ms.State.REJECTED: [ms.Action.REJECT],
    ms.State.SUSPENDED: [ms.Action.ADMIT, ms.Action.SUSPEND],
    ms.State.APPLIED: [],
}


def is_loaded() -> bool:
    return Network.objects.filter(code__in=[n["code"] for n in datafiles.network()["networks"]]).exists()


@transaction.atomic
def load_network() -> bool:
    """Fill an empty database with the demo network. Returns False if it was already there."""
    if is_loaded():
        return False
    data = datafiles.network()
    libraries = {}
    for row in data["libraries"]:
        libraries[row["code"]] = services.library_create(actor=SYSTEM, data=row)
    networks = {}
    for row in data["networks"]:
        fields = {k: v for k, v in row.items() if k != "coordinator"}
        networks[row["code"]] = services.network_create(actor=SYSTEM, data=fields)
    for row in data["memberships"]:
        membership = services.membership_apply(
            actor=SYSTEM, network=networks[row["network"]], library=libraries[row["library"]], note=""
        )
        for action in _ACTION_TO[ms.State(row["status"])]:
            services.membership_act(actor=SYSTEM, membership_id=membership.pk, action=action, note=row["note"])
    for row in data["users"]:
        services.user_create(
            username=row["username"],
            password=row["password"],
            full_name=row["full_name"],
            email=f"{row['username']}@demo.jaringan.invalid",
            role=row["role"],
            networks=row["networks"],
            library=row["library"],
            check_password=False,
        )
    for row in data["agreements"]:
        fields = {k: v for k, v in row.items() if k not in ("network", "parties", "responsibilities")}
        services.agreement_save(
            actor=SYSTEM,
            network=networks[row["network"]],
            data=fields,
            parties=row["parties"],
            responsibilities=row["responsibilities"],
        )
    for row in data.get("border_rules", []):
        agreement = Agreement.objects.get(code=row["agreement"]) if row.get("agreement") else None
        fields = {k: v for k, v in row.items() if k not in ("network", "agreement")}
        borders.border_rule_add(actor=SYSTEM, network=networks[row["network"]], agreement=agreement, data=fields)
    return True


def banner(*, url: str, created: bool, database: str) -> str:
    """What `jaringan demo` prints: where to go and who to be."""
    if created:
        head = _("Jaringan demo network loaded (%(database)s)") % {"database": database}
    else:
        head = _("Jaringan demo network already loaded (%(database)s)") % {"database": database}
    lines = [
        "",
        head,
        "  " + _("%(libraries)s libraries, %(networks)s networks")
        % {"libraries": Library.objects.count(), "networks": Network.objects.count()},
        "",
        "  " + _("Open:") + f"  {url}",
        "  " + _("Admin:") + f" {url}admin/    API: {url}api/docs",
        "",
        "  " + _("Demo logins (username / password):"),
    ]
    roles = {"coordinator": _("coordinator of %(where)s"), "staff": _("staff of %(where)s"),
             "reader": _("reader at %(where)s")}
    for row in datafiles.network()["users"]:
        where = ", ".join(row["networks"]) if row["networks"] else row["library"]
        lines.append(f"    {row['username']:<20} {row['password']:<18} " + roles[row["role"]] % {"where": where})
    lines.append("")
    return "\n".join(lines)
