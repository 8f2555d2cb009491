"""Every check of a ledger against its campaign type."""
