"""The edition page's retention notes: one query (this edition's commitments), nothing when there are none."""

from __future__ import annotations

from django import template

from ..selectors import edition_commitments

register = template.Library()


@register.inclusion_tag("analysis/_retention.html", takes_context=True)
def retention_notes(context, edition, holdings):
    commitments = edition_commitments(edition.pk)
    names = {h["library"].pk: h["library"] for h in holdings}
    return {
        "commitments": [(names[pk], until) for pk, until in commitments if pk in names],
        "last_copy": len(holdings) == 1,
        "edition": edition,
        "commit_for": [h["library"] for h in holdings if h.get("can_correct")],
    }
