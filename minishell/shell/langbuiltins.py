"""The builtins that are part of the language: return, break, continue, local, eval, exec,
command, `.` (source).

OS idea: these change how the shell walks its own program, not the process; they could not
be programs at all. `exec` is the exception that proves the rule: the shell process itself
calls execve and becomes another program (same pid, same open files).

They register in builtins.BUILTINS with the same convention as every builtin:
`name(shell, argv) -> exit status`.
"""

from __future__ import annotations

from .builtins import BuiltinError, ExitShell, ShellError, builtin, fatal, out
from .compound import BreakLoop, ContinueLoop, ReturnFunction
from .executor import Program, exec_in_place, run_job
from .lexer import is_name
from .syscalls import find_program

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell


def _count(shell: Shell, argv: list[str], minimum: int) -> int | None:
    if len(argv) < 2:
        return 1
    arg = argv[1]
    if not arg.isdigit() or int(arg) < minimum:
        fatal(shell, f"{argv[0]}: Illegal number: {arg}")
        return None
    return int(arg)


@builtin("return", summary="return [N]: leave the current function with status N")
def return_(shell: Shell, argv: list[str]) -> int:
    status = shell.status
    if len(argv) > 1:
        arg = argv[1]
        if not arg.isdigit():
            return fatal(shell, f"return: Illegal number: {arg}")
        status = int(arg)  # dash keeps `return 300` as 300 in $?
    raise ReturnFunction(status)


@builtin("break", summary="break [N]: leave the N innermost loops")
def break_(shell: Shell, argv: list[str]) -> int:
    count = _count(shell, argv, 1)
    if count is None:
        return 2
    if shell.loop_depth:
        raise BreakLoop(min(count, shell.loop_depth))
    return 0


@builtin("continue", summary="continue [N]: next iteration of the Nth innermost loop")
def continue_(shell: Shell, argv: list[str]) -> int:
    count = _count(shell, argv, 1)
    if count is None:
        return 2
    if shell.loop_depth:
        raise ContinueLoop(min(count, shell.loop_depth))
    return 0


@builtin("local", summary="local NAME[=VALUE]...: variables restored when the function returns")
def local(shell: Shell, argv: list[str]) -> int:
    if not shell.local_scopes:
        return fatal(shell, "local: not in a function")
    scope = shell.local_scopes[-1]
    for arg in argv[1:]:
        name, equals, value = arg.partition("=")
        if name == "-":  # `local -`: the options come back when the function returns
            from .builtins_vars import option_letters

            scope.setdefault("-", option_letters(shell))
            continue
        if not is_name(name):
            return fatal(shell, f"local: {name}: bad variable name")
        if name not in scope:
            scope[name] = shell.vars.get(name)
        if equals:
            shell.set_var(name, value)
    return 0


@builtin("eval", summary="eval ARG...: run the arguments, joined by spaces, as shell text")
def eval_(shell: Shell, argv: list[str]) -> int:
    text = " ".join(argv[1:])
    if not text.strip():
        return 0
    return shell.run_nested(text, "eval")


@builtin(".", "source", summary=". FILE [ARG...], source FILE [ARG...]: run FILE's "
                                 "commands in this shell")
def source(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        return 0  # dash: `.` alone does nothing
    name = args[0]
    path = name
    if "/" not in name:  # POSIX: `.` looks in $PATH
        path = find_program(name, shell.vars.get("PATH"), executable=False)
        if path is None:
            return fatal(shell, f"{argv[0]}: {name}: not found")
    try:
        with open(path, "rb") as file:  # bytes that are not UTF-8 survive (surrogateescape)
            text = file.read().decode("utf-8", "surrogateescape")
    except (OSError, ValueError) as err:
        return fatal(shell, f"{argv[0]}: cannot open {name}: "
                            f"{getattr(err, 'strerror', None) or 'Invalid argument'}")
    # dash ignores arguments after the file name: $1... stay the caller's.
    return shell.run_nested(text, None, dot=True)


@builtin("exec", summary="exec [CMD [ARG...]]: replace the shell by CMD; without CMD, make "
                          "the redirections permanent")
def exec_(shell: Shell, argv: list[str]) -> int:
    # The executor has already applied this command's redirections for good (not undone).
    args = argv[1:]  # (no options, as in dash: `exec -- cmd` looks for a program `--`)
    if not args:
        return 0
    return exec_in_place(shell, args)


@builtin("command", summary="command [-v|-V] NAME [ARG...]: run NAME ignoring functions, "
                             "or say what it is")
def command(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    describe = ""
    while args and args[0].startswith("-") and args[0] != "-":
        option = args.pop(0)
        if option == "--":
            break
        for letter in option[1:]:
            if letter in "vV":
                describe = letter
            elif letter != "p":
                raise BuiltinError(f"Illegal option -{letter}")
    if not args:
        return 0
    if describe:
        return _describe(shell, args[0], describe == "V")
    from .builtins import BUILTINS

    if args[0] in BUILTINS:
        try:
            return BUILTINS[args[0]](shell, args)
        except ShellError as err:  # `command` takes the special out of a special builtin
            return err.status
    return run_job(shell, [Program(args, shell.find_program(args[0]), None, [])],
                   " ".join(args))


def _describe(shell: Shell, name: str, verbose: bool) -> int:
    """command -V NAME says what `type` says; command -v NAME, how to run it: the path of a
    program, the definition of an alias, else the name."""
    from .builtins import describe
    from .builtins_base import single_quote

    found = describe(shell, name)
    if found is None:
        if verbose:
            out(f"{name}: not found\n")  # on stdout, as dash (and `type`)
        return 127
    kind, text = found
    if verbose:
        out(f"{name} is {text}\n")
    elif kind == "alias":
        out(f"alias {name}={single_quote(shell.aliases[name])}\n")
    else:
        out(f"{text if kind == 'program' else name}\n")
    return 0


__all__ = ["ExitShell"]
