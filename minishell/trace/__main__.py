"""`python -m minishell.trace` is `minitrace`."""

import sys

from minishell.trace.cli import main

sys.exit(main())
