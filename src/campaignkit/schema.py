"""Moved to :mod:`campaignkit.ledgerfile.schema`.

Importable under this name too, for this release.
"""

from campaignkit.ledgerfile.schema import *  # noqa: F403
from campaignkit.ledgerfile.schema import __all__ as __all__

if __name__ == "__main__":
    import sys

    from campaignkit.ledgerfile.schema import main

    sys.exit(main())
