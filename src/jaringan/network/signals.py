"""Signals of the network, for what is derived from it.

``libraries_changed`` is sent (with ``library_ids``) when what the catalogue's
derived data says of libraries may have changed: a library's own details, a
membership (admitted, suspended...), or an agreement that covers them (who may
lend what). The search index listens, to bring networks and availability up to date.
"""

from django.dispatch import Signal

libraries_changed = Signal()
