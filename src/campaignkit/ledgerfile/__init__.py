"""The ledger file format: the converter between JSON documents and records, the schema,
and the region data read with it.
"""
