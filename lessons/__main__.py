"""`python -m lessons` is `minilesson`."""

import sys

from .cli import main

sys.exit(main())
