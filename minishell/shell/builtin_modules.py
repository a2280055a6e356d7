"""Which module defines which builtin, so that each module is imported at its first use.

OS idea: a shell is started far more often than it is used for long (every `sh -c`, every
`$(...)` of a script in another shell, every test), so start-up time is part of the cost of
each command, and a fork copies (page by page, when written) whatever the process imported.
`minishell -c true` needs none of the builtin modules but builtins.py, nor what they import
(`resource` for ulimit, `re` for printf).

Each name below is registered in the builtin table (builtins_base.BUILTINS) as a loader: its
first call imports the module, whose `@builtin` registrations replace the loaders, and then
runs the real builtin. So `type echo`, `command -v`, completion and the executor see every
builtin from the start. tests/shell/test_startup.py checks this table against the modules.

A loader run in a child would import the module in that child only, again at every fork:
so before it forks a child that runs shell code (a pipeline stage, `( )`, `$(...)`), the
executor calls `load_all()`, once.
"""

from __future__ import annotations

from .builtins_base import BUILTINS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

MODULES = {
    "langbuiltins": ("return", "break", "continue", "local", "eval", ".", "source", "exec",
                     "command"),
    "builtins_io": ("echo", "printf", "read"),
    "builtins_proc": ("kill", "wait", "trap", "umask", "ulimit", "times", "hash"),
    "builtins_test": ("test", "["),
    "builtins_vars": ("set", "shift", "export", "readonly", "unset", "getopts", "alias",
                      "unalias"),
    "builtins_interactive": ("help",),
}
_loaded = False


def load(module: str) -> None:
    """Import minishell.shell.MODULE: its builtins register themselves."""
    __import__(f"{__package__}.{module}")


def load_all() -> None:
    """Import every builtin module (before a fork, and for `help`'s list of summaries)."""
    global _loaded
    if not _loaded:
        _loaded = True
        for module in MODULES:
            load(module)


def loader(module: str, name: str):
    """A stand-in for builtin `name`: imports its module, then runs the real builtin."""
    def run(shell: Shell, argv: list[str]) -> int:
        load(module)
        real = BUILTINS[name]
        if real is run:  # the table above is wrong: say so, not recurse forever
            raise RuntimeError(f"builtin {name} is not defined in {module}")
        return real(shell, argv)
    return run


for _module, _names in MODULES.items():
    for _name in _names:
        BUILTINS.setdefault(_name, loader(_module, _name))
