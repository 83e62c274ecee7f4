"""`python -m generator` is the `scholarfolio` command."""

import sys

from .cli import main

sys.exit(main())
