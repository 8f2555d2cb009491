"""Statistics: metrics and their contributions, summaries, breakdowns, the narrative and
reconciliation with a draft report.
"""
