"""Rules of handling as data: the campaign-type and plugin record types, the issue lifecycle
graph and the deadline policy.
"""
