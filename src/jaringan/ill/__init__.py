"""Interlibrary loan: a reader's library asks a lender for a book or a copy, over ISO 18626.

In three layers, the edges calling into the domain:

* `web/`        the web edge: pages, the JSON API, downloads (for people and programs)
* `iso18626/`   the ISO 18626 edge: messages in and out with the systems that serve other libraries
* the domain, here: `models`, `services/` (every write; one writer of a request's state),
  `selectors` (reads), `rota` (routing), `ledger` (fees), `deliveries` (scans),
  `notices` and `sms` (telling people), `permissions` (roles on a request),
  `tick` (what time makes happen), `conf` (settings), `texts` (words on screen)

The pure rules (the lifecycle table, routing, fees, the ISO 18626 messages) are in `jaringan.core`.
"""
