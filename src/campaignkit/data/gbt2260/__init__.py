"""GB/T 2260 administrative division codes with their history (``divisions.csv``).

Every county-level-and-above code listed by the Ministry of Civil Affairs (民政部) from
1981 to 2024, one row per span of years in force: ``code,name,since,until``. ``since``
is the first year whose list (as of 31 December) has the code, blank when the first list
(1981) already has it; ``until`` is the first year whose list no longer has it, blank when
the newest list (2024, as of 31 December 2024) still has it. ``name`` is the name the
code had at the end of that span.

Source: the yearly lists ``data/1981.txt`` … ``data/2024.txt`` of the public-domain
(CC0 1.0) data set ``yescallop/areacodes`` on GitHub, commit ``eed219a`` (November
2025), which collects the Ministry's published lists and corrects their known errors.
``README.md`` beside this file says how the table is made from them. Read it through
:mod:`campaignkit.model.gbt2260`.
"""
