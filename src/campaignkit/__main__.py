"""``python -m campaignkit`` runs the command line."""

import sys

from campaignkit.cli.app import main

sys.exit(main())
