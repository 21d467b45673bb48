"""The web edge of interlibrary loan: what people (and programs, through the JSON API) reach over HTTP.

* `pages`      the staff's queues, one request, asking, the reader's own, the coordinator's figures
* `screens`    what those pages show beyond the selectors (badges, sentences, forms, print batches)
* `api`        the JSON API (``/api/ill/…``)
* `downloads`  a delivered scan, downloaded by its reader or fetched by another library's system
* `urls`       the addresses of all of these

Thin: reads go through `ill.selectors`, every write through `ill.services`.
"""
