"""The page where a network's coordinator states its border rules, or one agreement's (thin: the writes are
`network.borders`, which asks the permission again)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404

from . import borders
from . import permissions as perm
from . import selectors
from .forms import BorderRuleForm
from .texts import border_rule_rows as rule_rows
from .views import _form_errors, _member_choices


def _back(network, agreement):
    if agreement is not None:
        return redirect("agreement_rules", code=agreement.code)
    return redirect("network_rules", network_code=network.code)


@login_required
def border_rules(request, network_code=None, code=None):
    p = perm.principal_of(request)
    agreement = or_404(selectors.agreement_by_code(code)) if code else None
    network = agreement.network if agreement else or_404(selectors.network_by_code(network_code))
    if not perm.coordinates(p, network):
        raise PermissionDenied
    form = BorderRuleForm(request.POST or None, library_choices=_member_choices(network))
    if request.method == "POST" and request.POST.get("remove"):
        try:
            borders.border_rule_remove(actor=p, rule_id=int(request.POST["remove"]))
            messages.success(request, _("The rule was lifted."))
        except (ValueError, JaringanError):
            messages.error(request, _("No such rule."))
        return _back(network, agreement)
    if request.method == "POST" and form.is_valid():
        try:
            borders.border_rule_add(actor=p, network=network, agreement=agreement, data=form.cleaned_data)
            messages.success(request, _("The rule was saved."))
            return _back(network, agreement)
        except JaringanError as exc:
            _form_errors(form, exc)
    rows = rule_rows(selectors.border_rules_shown(network, agreement))
    return render(request, "network/border_rules.html", {
        "network": network, "agreement": agreement, "form": form,
        "own": [r for r in rows if agreement is None or r["agreement"] is not None],
        "inherited": [r for r in rows if agreement is not None and r["agreement"] is None],
    })
