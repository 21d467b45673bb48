"""Notices on the steps of a request that matter to someone, by e-mail and (to readers) SMS.

``NOTICES`` says, for each step, who hears of it and in what words; each
recipient reads it in their own language (their notice settings, a walk-in
reader's language on the request, else the site's). Notices leave after the
transaction commits: a mail server that is down never undoes a loan, and a
rolled-back change never sends a notice.

Audiences: ``reader`` (the person the request is for), ``requester`` (staff
of the requesting library), ``supplier`` (staff of the lender asked now).
Readers get an SMS for the steps marked so, when they gave a telephone
number and allowed texts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jaringan.network.models import Library, Role

from . import conf, sms
from .iso18626.agencies import peer_of
from .models import IllRequest, NoticeSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    audiences: tuple[str, ...]
    #: The body, an English msgid with %(name)s placeholders, translated per recipient.
    text: str
    sms: bool = False


#: Step → who hears of it and what they read.
NOTICES: dict[str, Notice] = {
    "approval_needed": Notice(("requester",), gettext_noop(
        "%(reader)s asks for “%(title)s” through interlibrary loan. Please approve or reject the request.")),
    "rejected": Notice(("reader",), gettext_noop(
        "%(library)s did not approve your request for “%(title)s”. %(note)s")),
    "approved": Notice(("reader",), gettext_noop(
        "%(library)s approved your request for “%(title)s” and is asking the network's libraries for it.")),
    "new_lending": Notice(("supplier",), gettext_noop(
        "%(requester)s asks %(lender)s for “%(title)s” (%(service)s). Please answer by %(answer_by)s.")),
    "conditions": Notice(("requester",), gettext_noop(
        "%(lender)s offers to supply “%(title)s” on conditions: %(conditions)s Accept or decline them.")),
    "shipped": Notice(("reader",), gettext_noop(
        "“%(title)s” is on its way from %(lender)s to %(library)s. You will hear when it arrives.")),
    "arrived": Notice(("reader",), gettext_noop(
        "“%(title)s” has arrived at %(library)s. Please collect it; it is due back on %(due)s."), sms=True),
    "copy_ready": Notice(("reader",), gettext_noop(
        "Your copy of “%(title)s” is ready. Download it before %(expires)s: %(link)s"), sms=True),
    "copy_posted": Notice(("reader",), gettext_noop(
        "%(lender)s has posted your copy of “%(title)s” to %(library)s.")),
    "overdue": Notice(("reader", "requester"), gettext_noop(
        "“%(title)s” was due back on %(due)s. Please return it to %(library)s."), sms=True),
    "recalled": Notice(("reader", "requester"), gettext_noop(
        "%(lender)s needs “%(title)s” back. Please return it to %(library)s as soon as you can."), sms=True),
    "renewal_asked": Notice(("supplier",), gettext_noop(
        "%(requester)s asks to renew “%(title)s”, due on %(due)s.")),
    "renewed": Notice(("reader",), gettext_noop("Your loan of “%(title)s” was renewed until %(due)s.")),
    "renewal_refused": Notice(("reader",), gettext_noop(
        "Your loan of “%(title)s” could not be renewed; it is due back on %(due)s.")),
    "cancel_asked": Notice(("supplier",), gettext_noop(
        "%(requester)s asks to cancel its request for “%(title)s”.")),
    "cancelled": Notice(("reader",), gettext_noop("Your request for “%(title)s” was cancelled.")),
    "unfilled": Notice(("reader", "requester"), gettext_noop(
        "No library of the network could supply “%(title)s”. %(note)s")),
    "returned": Notice(("supplier",), gettext_noop("%(requester)s has posted “%(title)s” back to %(lender)s.")),
}


@dataclass(frozen=True)
class Recipient:
    email: str
    phone: str
    language: str
    sms: bool


def _language(code: str | None) -> str:
    known = {c for c, _n in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def _person(user) -> Recipient:
    prefs = NoticeSettings.objects.filter(user=user).first()
    return Recipient(
        email=user.email if (prefs is None or prefs.email) else "",
        phone=prefs.phone if prefs else "",
        language=_language(prefs.language if prefs else None),
        sms=bool(prefs and prefs.sms and prefs.phone),
    )


def _staff(library: Library | None) -> list[Recipient]:
    if library is None:
        return []
    users = get_user_model().objects.filter(roles__kind=Role.Kind.STAFF, roles__library=library, is_active=True)
    return [r for r in (_person(u) for u in users) if r.email]


def recipients(req: IllRequest, audience: str) -> list[Recipient]:
    if audience == "reader":
        if req.reader_id:
            return [_person(req.reader)]
        if req.reader_email or req.reader_phone:
            return [Recipient(req.reader_email, req.reader_phone, _language(req.reader_language),
                              bool(req.reader_phone))]
        return []
    if audience == "requester":
        return _staff(req.requester) if not _remote(req.requester) else []
    if audience == "supplier":
        return _staff(req.supplier) if not _remote(req.supplier) else []
    raise ValueError(audience)


def _remote(library: Library | None) -> bool:
    return library is not None and peer_of(library) is not None


def _context(req: IllRequest, extra: dict) -> dict:
    due = formats.date_format(req.due_date, "DATE_FORMAT") if req.due_date else "—"
    context = {
        "title": req.title, "reader": req.reader_display or "—", "library": req.requester.name,
        "requester": req.requester.name, "lender": req.supplier.name if req.supplier else "—",
        "service": req.get_service_display(), "due": due, "note": "", "link": "", "expires": "",
        "answer_by": "—", "conditions": "",
    }
    context.update({k: v for k, v in extra.items() if v is not None})
    return context


def render(key: str, req: IllRequest, language: str, extra: dict | None = None) -> tuple[str, str]:
    """The subject and body of notice ``key`` in ``language``."""
    notice = NOTICES[key]
    with translation.override(language):
        context = _context(req, extra or {})
        subject = _("Interlibrary loan: %(title)s") % {"title": req.title[:80]}
        body = (_(notice.text) % context).strip()
    return subject, body


#: The page of a request for each audience (the screens' URL names), linked when JARINGAN_BASE_URL is set.
PAGES = {"reader": "ill_my_detail", "requester": "ill_detail", "supplier": "ill_detail"}


def page_link(req: IllRequest, audience: str) -> str:
    """The address of the request's page for ``audience``, or "" when the site's address is not known."""
    base = conf.base_url()
    if not base:
        return ""
    try:
        return base + reverse(PAGES[audience], args=[req.pk])
    except NoReverseMatch:
        return ""


def notify(req: IllRequest, key: str, **extra) -> None:
    """Send notice ``key`` about ``req`` once the current transaction commits."""
    notice = NOTICES[key]
    targets = [(aud, r) for aud in notice.audiences for r in recipients(req, aud)]
    if not targets:
        return

    def deliver():
        for audience, recipient in targets:
            subject, body = render(key, req, recipient.language, extra)
            page = page_link(req, audience)
            if page:
                body = f"{body}\n\n{page}"
            if recipient.email:
                try:
                    send_mail(subject, body, None, [recipient.email])
                except Exception as exc:  # a mail server down never stops the loan
                    log.warning("notice %s for request %s to %s not sent: %s", key, req.pk, recipient.email, exc)
            if notice.sms and audience == "reader" and recipient.sms:
                sms.send_sms(recipient.phone, body)

    transaction.on_commit(deliver)
