"""The ledger file format: the converter between JSON documents and records, the schema,
the region data read with it, and how a file is read: never more than a limit
(:mod:`~campaignkit.ledgerfile.reading`), its JSON decoded with plain words for what is
wrong and no key given twice in one object (:mod:`~campaignkit.ledgerfile.jsontext`).
"""
