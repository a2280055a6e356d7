"""`python -m graders` is `minigrade`."""

import sys

from .cli import main

sys.exit(main())
