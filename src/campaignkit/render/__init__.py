"""Helpers shared by the built-in report formatters.

:mod:`~campaignkit.render.safety` holds the one place where record text is
masked, escaped and neutralised; :mod:`~campaignkit.render.tables` turns a
report into plain tables; the other modules write one output format each.
"""
