"""The ISO 18626 edge of interlibrary loan: messages with the systems that serve other libraries.

* `agencies`   how messages name libraries, and which libraries another system serves
* `messages`   the messages a request's transitions send, built and kept in the log
* in: `endpoint` (``POST /iso18626``) → `gate` (size, secret, rate) → `inbound`
  (read, checked, applied through `ill.services`, confirmed)
* out: `outbox` (a message kept with the change, due at once) → `sender`
  (posted through `transport`, tried again with backoff, the confirmation acted on)
* `urls`       the address other systems post to

It never imports the web edge (`ill.web`), which may use it.
"""
