"""`python -m minishell.shell` runs the shell."""

from .cli import main

raise SystemExit(main())
