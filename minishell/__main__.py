"""`python -m minishell` runs the shell."""

from .shell.cli import main

raise SystemExit(main())
