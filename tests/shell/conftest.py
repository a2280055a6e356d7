"""The pty session fixture of test_interactive.py, for the other interactive test files."""

from test_interactive import session  # noqa: F401
