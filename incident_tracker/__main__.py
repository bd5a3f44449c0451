"""`python -m incident_tracker` is the `incident-tracker` command."""

import sys

from incident_tracker.cli import main

sys.exit(main())
