"""The hook contract between campaignkit and its plugins: specifications, the plugin manager
and the time limit on plugin code.
"""
