"""Moved to :mod:`campaignkit.report` and :mod:`campaignkit.workbook`; the modules are
importable under these names too, for this release."""
