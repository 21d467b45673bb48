"""Every write to the union catalogue, one module per concern:

* `batches`: an import batch's life (started, reaped when its process died, finished);
* `ingest`: a stream of members' records taken in chunk by chunk, record by record;
* `new_records`: the records new to the catalogue of a chunk, matched and stored set-wise;
* `placement`: the edition a record belongs to (matched, new, or left when withdrawn);
* `editions`: an edition's preferred record, work and display fields, its outbox, its retirement;
* `corrections`: a cataloguer's merges and splits, kept across re-imports;
* `quarantine`: a quarantined record read again.

Files come in through `catalog.pipeline`, which runs `batches` and `ingest`.
"""
