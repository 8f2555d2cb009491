"""``python -m campaignkit`` runs the command line."""

import sys

from campaignkit.cli import main

sys.exit(main())
