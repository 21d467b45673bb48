"""``{% reciprocal_balance network period %}``: reciprocal visits and loans per member, beside ILL's figures."""

from django import template

from jaringan.reciprocal import selectors, texts

register = template.Library()


@register.inclusion_tag("reciprocal/_balance.html")
def reciprocal_balance(network, period):
    report = selectors.network_balance(network, period.start, period.end)
    for row in report["members"]:
        row["net_sign"] = (row["net"] > 0) - (row["net"] < 0)
        row["money_sign"] = (row["money_net"] > 0) - (row["money_net"] < 0)
        row["owed_text"], row["owes_text"] = texts.rupiah(row["owed"]), texts.rupiah(row["owes"])
        row["money_text"] = texts.rupiah(abs(row["money_net"]))
    report["totals"]["amount_text"] = texts.rupiah(report["totals"]["amount"])
    return {"report": report, "network": network}
