"""Signals of the network, for what is derived from it.

``libraries_changed`` is sent (with ``library_ids``) when what the catalogue's
derived data says of libraries may have changed: a library's own details, a
membership (admitted, suspended...), or an agreement that covers them (who may
lend what). When a library's own details changed, ``fields`` names them (its
``kind``, ``phone``…), so that a receiver deriving none of them has nothing to do;
without ``fields``, anything about the libraries may have changed. The search
index listens, to bring kinds, networks and availability up to date.
"""

from django.dispatch import Signal

libraries_changed = Signal()
