"""Overdue notices for reciprocal loans, through interlibrary loan's notice machinery.

The recipients (a reader's notice settings and language, a library's staff with e-mail) and the SMS
gateway are `jaringan.ill.notices` and `jaringan.ill.sms`; only the words are this app's. The reader
gets an e-mail and, when they allowed texts, an SMS; the staff of the home library and of the host get
an e-mail. Notices leave after the transaction commits.
"""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jaringan.ill import notices as ill_notices
from jaringan.ill import sms

from .models import Loan

log = logging.getLogger(__name__)

OVERDUE_READER = gettext_noop(
    "“%(title)s”, borrowed at %(host)s with your network pass, was due back on %(due)s. Please return it to "
    "%(host)s.")
OVERDUE_LIBRARY = gettext_noop(
    "%(reader)s, a reader of %(home)s, has not returned “%(title)s” to %(host)s (reciprocal loan, due on "
    "%(due)s). Until it is back the reader may not borrow at any member.")


def _reader(loan: Loan) -> list[ill_notices.Recipient]:
    holder = loan.holder
    if holder.reader_id:
        return [ill_notices._person(holder.reader)]
    if holder.reader_email or holder.reader_phone:
        return [ill_notices.Recipient(holder.reader_email, holder.reader_phone,
                                      ill_notices._language(holder.reader_language), bool(holder.reader_phone))]
    return []


def _render(text: str, loan: Loan, language: str) -> tuple[str, str]:
    with translation.override(language):
        context = {"title": loan.title, "host": loan.host.name, "home": loan.holder.home.name,
                   "reader": loan.holder.reader_name, "due": formats.date_format(loan.due, "DATE_FORMAT")}
        return _("Reciprocal borrowing: %(title)s") % {"title": loan.title[:80]}, _(text) % context


def notify_overdue(loan: Loan) -> None:
    """Tell the reader (e-mail and SMS) and the home and host libraries' staff (e-mail) of an overdue loan."""
    targets = [(OVERDUE_READER, r, True) for r in _reader(loan)]
    for library in {loan.holder.home, loan.host}:
        targets += [(OVERDUE_LIBRARY, r, False) for r in ill_notices._staff(library)]

    def deliver():
        for text, recipient, is_reader in targets:
            subject, body = _render(text, loan, recipient.language)
            if recipient.email:
                try:
                    send_mail(subject, body, None, [recipient.email])
                except Exception as exc:  # a mail server down never stops the desk
                    log.warning("overdue notice for reciprocal loan %s to %s not sent: %s", loan.pk,
                                recipient.email, exc)
            if is_reader and recipient.sms:
                sms.send_sms(recipient.phone, body)

    transaction.on_commit(deliver)
