"""Moved to :mod:`campaignkit.validation.checks`.

Importable under this name too, for this release: ``from campaignkit.validate import
check_ledger`` works as it did. The package attribute ``campaignkit.validate`` is the
function :func:`campaignkit.validate <campaignkit.io.validate>`, as it was: the package
imports this module before it binds that name.
"""

from campaignkit.validation.checks import *  # noqa: F403
from campaignkit.validation.checks import __all__ as __all__
