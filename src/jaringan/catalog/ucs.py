"""SLiMS Union Catalog pushes: members running SLiMS send their records with no change on their side.

SLiMS's union-catalogue client (``ucs_upload.php``, ``ucs_upload.sh.php`` and
``ucs_update.php``, configured in SLiMS under System → UCS settings with a
server address, a node ID, a password and a server version) POSTs a raw JSON
body — no form fields, ``Content-type: text/json`` from the old socket client
and none at all from the Guzzle one — to::

    <server address>/ucpoll.php   records, server version < 3 (SLiMS's default is 2)
    <server address>/uc-ops.php   a delete operation, server version < 3
    <server address>/ucs.php      both, server version 3 and later

The body is ``{"node_info": {"id", "password", "name", ...}, "node_data": ...}``
(see :mod:`jaringan.core.catalog.readers.slims`).  SLiMS shows the reply's
``message`` to the librarian, so every outcome is a JSON object
``{"status": ..., "message": ...}`` with HTTP 200 (its newer client turns any
other status into "HTTP Request error with code N" and loses the reason):

=================  ==========================================================
status             when
=================  ==========================================================
``UPLOADED``       the records were read; new, updated, unchanged and
                   quarantined ones are counted in the message and in
                   ``created``/``updated``/``unchanged``/``quarantined``, and
                   ``quarantine`` lists ``{"biblio_id", "reason"}``
``DELETED``        a delete operation: the holdings are withdrawn
``NOT_AUTHORIZED`` unknown node or wrong password (one answer for both), a
                   switched-off node, or too many failures (nothing is stored)
``JSON_ERROR``     the body is not JSON
``NO_DATA``        an empty body, or JSON without ``node_data``
``ERROR``          the push could not be taken in (too large, a failure)
=================  ==========================================================

These are the statuses of SLiMS's own union-catalogue server, whose replies
its client was written against.  A node acts for its one library only; a
push is one import batch of source ``slims``, and re-sending a biblio id
updates that library's record in place.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jaringan.core.catalog.errors import CatalogError
from jaringan.core.catalog.readers.slims import DELETE, MAX_PUSH_BYTES, parse_push, push_operation, read_slims_push
from jaringan.core.errors import Conflict, JaringanError, Forbidden, Invalid
from jaringan.network.models import Library, UnionCatalogNode
from jaringan.network.permissions import Principal
from jaringan.security import throttle

from .models import ImportBatch, Quarantine, SourceRecord
from .permissions import can_catalogue
from .pipeline import ImportPipeline
from .services.batches import batch_start

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "Status",
    "ucs_node_register",
    "ucs_node_set_active",
    "ucs_push",
]

#: A node password shorter than this is refused (SLiMS's own default is a 40-character hex string).
MIN_PASSWORD_LENGTH = 8
NODE_ID = re.compile(r"^[^\s\x00-\x1f\x7f]+(?: [^\s\x00-\x1f\x7f]+)*$")
NODE_ID_MAX = 100
#: Quarantined records named one by one in the reply's message; the rest are counted.
REASONS_IN_MESSAGE = 5
#: Arrays and objects nested in a push at the most (SLiMS's own are four or five deep).
MAX_JSON_DEPTH = 32
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded",)


class Status:
    """The ``status`` words of a reply, as SLiMS's own union-catalogue server sends them."""

    UPLOADED = "UPLOADED"
    DELETED = "DELETED"
    NOT_AUTHORIZED = "NOT_AUTHORIZED"
    JSON_ERROR = "JSON_ERROR"
    NO_DATA = "NO_DATA"
    ERROR = "ERROR"


# --- nodes --------------------------------------------------------------------------

def _check_node_id(node_id: str) -> str:
    node_id = (node_id or "").strip()
    if not node_id or len(node_id) > NODE_ID_MAX or not NODE_ID.match(node_id):
        raise Invalid(_("A node ID is 1 to %(max)s printable characters, as typed in SLiMS's UCS settings.")
                      % {"max": NODE_ID_MAX}, errors={"node_id": [_("Not a usable node ID.")]})
    return node_id


@transaction.atomic
def ucs_node_register(*, actor: Principal, library: Library, node_id: str, password: str,
                      name: str = "") -> UnionCatalogNode:
    """Register a SLiMS node for `library`, or give its node a new password (and switch it on again).

    Staff of the library or a coordinator of one of its networks may do it.
    The node ID is unique in the whole catalogue: one registered for another
    library is refused.  Only a hash of the password is kept.
    """
    if not can_catalogue(actor, library):
        raise Forbidden(_("You may not register union catalogue nodes for %(library)s.") % {"library": library.name})
    node_id = _check_node_id(node_id)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(_("The password must have at least %(n)s characters.") % {"n": MIN_PASSWORD_LENGTH},
                      errors={"password": [_("Too short.")]})
    node = UnionCatalogNode.objects.select_for_update().filter(node_id=node_id).first()
    if node is not None and node.library_id != library.pk:
        raise Conflict(_("The node ID %(node)s is registered for another library; choose another.")
                       % {"node": node_id}, errors={"node_id": [_("Taken.")]})
    if node is None:
        node = UnionCatalogNode(library=library, node_id=node_id)
    node.password = make_password(password)
    node.active = True
    if name.strip() or not node.name:
        node.name = name.strip()[:200]
    try:
        with transaction.atomic():
            node.save()
    except IntegrityError:  # registered at the same moment by someone else
        raise Conflict(_("The node ID %(node)s is registered for another library; choose another.")
                       % {"node": node_id}, errors={"node_id": [_("Taken.")]}) from None
    return node


@transaction.atomic
def ucs_node_set_active(*, actor: Principal, node: UnionCatalogNode, active: bool) -> UnionCatalogNode:
    """Switch a node off (its pushes are refused, its records stay) or on again."""
    if not can_catalogue(actor, node.library):
        raise Forbidden(_("You may not change the union catalogue nodes of %(library)s.")
                        % {"library": node.library.name})
    node.active = active
    node.save(update_fields=["active"])
    return node


# --- pushes --------------------------------------------------------------------------

def _reply(status: str, message: str, **extra) -> dict:
    return {"status": status, "message": message, **extra}


def _json_of(body: bytes, content_type: str):
    """The decoded JSON of a push: the raw body, or (form-encoded) the one field that holds it.

    SLiMS sends the JSON as the raw body; a form-encoded body whose field holds
    the push (a hand-made client) is accepted too.
    """
    text = body.decode("utf-8-sig")
    if content_type.split(";")[0].strip().lower() in FORM_CONTENT_TYPES and not text.lstrip().startswith("{"):
        for _key, value in parse_qsl(text, keep_blank_values=True):
            if value.lstrip().startswith("{"):
                return json.loads(value)
    return json.loads(text)


def _nested_deeper(value, limit: int) -> bool:
    """Whether arrays and objects nest in ``value`` more than ``limit`` deep (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, (dict, list)):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in (current.values() if isinstance(current, dict) else current))
    return False


def _node_for(node_info: dict, address: str = "") -> tuple[UnionCatalogNode | None, str]:
    """The authenticated node, or None and why not (never saying more than the node sent).

    An unknown node and a wrong password get the same answer, as slowly: the
    answer does not tell which node IDs exist.  Failures count towards login
    throttling per node ID and per address (``jaringan.security.throttle``).
    """
    node_id = str(node_info.get("id") or "").strip()
    password = node_info.get("password")
    password = "" if password is None or isinstance(password, (dict, list)) else str(password)
    if not node_id:
        return None, _("The push names no node: set the node ID in SLiMS's UCS settings.")
    counted = throttle.keys(user=node_id, address=address)
    refused = throttle.refusal(throttle.UCS, counted)
    if refused:
        return None, refused
    node = UnionCatalogNode.objects.select_related("library").filter(node_id=node_id).first()
    if node is None:
        make_password(password)  # as slow as a wrong password: the answer does not time node IDs
    if node is None or not check_password(password, node.password):
        throttle.failed(throttle.UCS, counted)
        return None, _("The node %(node)s or its password is not known to this union catalogue: check both in "
                       "SLiMS's UCS settings, and that the library's staff registered the node on the library's "
                       "records page.") % {"node": node_id}
    throttle.succeeded(throttle.UCS, counted)
    if not node.active:
        return None, _("The node %(node)s is switched off in this union catalogue.") % {"node": node_id}
    return node, ""


def _quarantined(batch: ImportBatch) -> list[dict]:
    return [{"biblio_id": source_id, "reason": reason} for source_id, reason in
            Quarantine.objects.filter(batch=batch).order_by("position").values_list("source_id", "reason")]


def _upload_message(batch: ImportBatch, quarantine: list[dict]) -> str:
    taken = batch.read - batch.quarantined
    message = ngettext(
        "%(count)s catalog record uploaded to the union catalogue (%(new)s new, %(updated)s updated, "
        "%(unchanged)s unchanged).",
        "%(count)s catalog records uploaded to the union catalogue (%(new)s new, %(updated)s updated, "
        "%(unchanged)s unchanged).",
        taken,
    ) % {"count": taken, "new": batch.created, "updated": batch.updated, "unchanged": batch.unchanged}
    if quarantine:
        reasons = "; ".join(_("biblio %(id)s: %(reason)s") % {"id": q["biblio_id"] or "?", "reason": q["reason"]}
                            for q in quarantine[:REASONS_IN_MESSAGE])
        if len(quarantine) > REASONS_IN_MESSAGE:
            reasons += "; …"
        message += " " + ngettext(
            "%(count)s record could not be taken in and waits in quarantine: %(reasons)s.",
            "%(count)s records could not be taken in and wait in quarantine: %(reasons)s.",
            len(quarantine),
        ) % {"count": len(quarantine), "reasons": reasons}
    return message


def _counts(batch: ImportBatch) -> dict:
    return {"batch": batch.pk, "read": batch.read, "created": batch.created, "updated": batch.updated,
            "unchanged": batch.unchanged, "withdrawn": batch.withdrawn, "held": batch.held,
            "quarantined": batch.quarantined}


def ucs_push(*, body: bytes, content_type: str = "", address: str = "") -> dict:
    """Take one SLiMS push: authenticate its node, read its records into the node's library, reply.

    Returns the reply object (see the module docstring); never raises for a
    bad push.  A node that cannot be authenticated stores nothing.  ``address``
    is the client's IP address, for login throttling.
    """
    if not body.strip():
        return _reply(Status.NO_DATA, _(
            "The request was empty. (SLiMS sends an empty body when a record holds text that is not valid "
            "UTF-8: its JSON encoding fails.)"))
    if len(body) > MAX_PUSH_BYTES:
        return _reply(Status.ERROR, _("The push of %(size)s bytes is larger than the %(max)s bytes accepted; send "
                                      "fewer records at a time.") % {"size": len(body), "max": MAX_PUSH_BYTES})
    try:
        decoded = _json_of(body, content_type)
    except RecursionError:
        decoded = None
    except (ValueError, UnicodeDecodeError) as exc:
        return _reply(Status.JSON_ERROR, _("JSON error: %(error)s") % {"error": exc})
    if decoded is None or _nested_deeper(decoded, MAX_JSON_DEPTH):
        return _reply(Status.JSON_ERROR, _("JSON error: arrays and objects are nested more than %(depth)s levels "
                                           "deep (a push from SLiMS has a few).") % {"depth": MAX_JSON_DEPTH})
    try:
        push = parse_push(decoded)
    except CatalogError as exc:
        return _reply(Status.NO_DATA, _("Nothing to take in: %(error)s") % {"error": exc})
    node_info = push.get("node_info") if isinstance(push.get("node_info"), dict) else {}
    node, refusal = _node_for(node_info, address)
    if node is None:
        return _reply(Status.NOT_AUTHORIZED, refusal)
    library = node.library
    actor = Principal(username=f"ucs:{node.node_id}", staff_of=frozenset({library.pk}))
    deleting = push_operation(push) == DELETE
    _node_info, items = read_slims_push(push)
    items = list(items)
    held = set()
    if deleting:
        held = set(SourceRecord.objects.filter(library=library, withdrawn=False,
                                               source_id__in=[i.source_id for i in items])
                   .values_list("source_id", flat=True))
    try:
        batch = batch_start(actor=actor, library=library, source=ImportBatch.Source.SLIMS,
                            name=f"SLiMS UCS {node.node_id}"[:255], format="slims")
        batch = ImportPipeline().take(batch=batch, items=items)
    except (CatalogError, JaringanError) as exc:
        return _reply(Status.ERROR, _("The push could not be taken in: %(error)s") % {"error": exc})
    node.last_push = timezone.now()
    node.save(update_fields=["last_push"])
    if deleting:
        deleted = len(held) - batch.held
        message = ngettext(
            "%(count)s catalog record deleted from the union catalogue.",
            "%(count)s catalog records deleted from the union catalogue.", deleted) % {"count": deleted}
        if batch.held:
            message += " " + ngettext(
                "%(count)s record kept: the library committed to keep that copy; its staff confirm the withdrawal "
                "in Jaringan.",
                "%(count)s records kept: the library committed to keep those copies; its staff confirm the "
                "withdrawal in Jaringan.", batch.held) % {"count": batch.held}
        return _reply(Status.DELETED, message, **_counts(batch))
    quarantine = _quarantined(batch)
    return _reply(Status.UPLOADED, _upload_message(batch, quarantine), quarantine=quarantine, **_counts(batch))
