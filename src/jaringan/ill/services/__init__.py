"""Every write to interlibrary loan requests.

Plain functions, keyword-only arguments, one transaction each, each taking
the acting person (a `Principal`), the hub itself (`SYSTEM`) or another
system (`Remote`). A refusal raises a `jaringan.errors` exception and
changes nothing.

* `requests`       `illrequest_create`, `illrequest_approve`, `illrequest_route`,
                   `illrequest_send`: asking, approving, routing, sending
* `acting`         `illrequest_act`, THE one writer of a request's state: locks
                   the row, asks the table (`core.ill.lifecycle`), checks the
                   actor, records the event with its message, and runs the side
                   effects (`effects.EFFECTS`)
* `effects`        what each action does besides changing the state
* `configuration`  `routing_weights_save`, `peer_save`, `agency_id_add`,
                   `notice_settings_save`
"""

from .acting import act_locked, illrequest_act, lock_request
from .configuration import agency_id_add, notice_settings_save, peer_save, routing_weights_save
from .requests import illrequest_approve, illrequest_create, illrequest_route, illrequest_send

__all__ = [
    "act_locked",
    "agency_id_add",
    "illrequest_act",
    "illrequest_approve",
    "illrequest_create",
    "illrequest_route",
    "illrequest_send",
    "lock_request",
    "notice_settings_save",
    "peer_save",
    "routing_weights_save",
]
