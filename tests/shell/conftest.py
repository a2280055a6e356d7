"""The pty fixtures of the interactive tests, for every test_interactive*.py file: `session`
(a minishell) from test_interactive.py, `bash` (the peer) from test_interactive_input.py."""

from test_interactive import session  # noqa: F401
from test_interactive_input import bash  # noqa: F401
