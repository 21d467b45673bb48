"""``{% reciprocal_balance network period %}``: reciprocal visits and loans per member, beside ILL's figures."""

from django import template

from jaringan.reciprocal import selectors

register = template.Library()


@register.inclusion_tag("reciprocal/_balance.html")
def reciprocal_balance(network, period):
    report = selectors.network_balance(network, period.start, period.end)
    for row in report["members"]:
        row["net_sign"] = (row["net"] > 0) - (row["net"] < 0)
    return {"report": report, "network": network}
