"""Compound commands, functions and builtins: the shell code that runs without fork.

OS idea: `if`, `while`, `for`, `case`, `{ }`, a function call and a builtin change nothing the
kernel keeps per process except, for a moment, the fds their redirections point elsewhere.
They run in the shell's own process, which is why `cd` in a loop or `x=1` in a function
stays done, while `( )` forks and its changes die with the child.

`break`, `continue` and `return` unwind Python frames as exceptions, the way longjmp unwinds
dash's C stack.
"""

from __future__ import annotations

from . import builtins
from .ast import Case, For, Group, If, Loop
from .builtins import ExitShell
from .expand import ExpansionError, expand_pattern, expand_single, expand_word
from .explain import notice
from .redirect import RedirectError, apply_redirects, restore_fds

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Command, Node, Redirect
    from .state import Shell


MAX_FUNCTION_DEPTH = 1000  # as dash: `f() { f; }; f` is an error, not a crash


class BreakLoop(Exception):
    """`break N`: leave N enclosing loops."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class ContinueLoop(Exception):
    """`continue N`: the next iteration of the Nth enclosing loop."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class ReturnFunction(Exception):
    """`return N` from a function (or a `.` script)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def run_compound(shell: Shell, node: Node, run) -> int:
    """`run` is executor.run (passed in: this module does not import the executor)."""
    kind = type(node)
    handler = {Group: _group, If: _if, Loop: _loop, For: _for, Case: _case}[kind]
    if not node.redirects:
        return handler(shell, node, run)
    return with_redirects(shell, node.redirects, handler, shell, node, run)


def with_redirects(shell: Shell, redirects: list[Redirect], function, *args,
                   keep: bool = False) -> int:
    """Run function(*args) with redirections undone afterwards (`keep`: in a child that is
    about to exit, no need to save anything)."""
    saved: list[tuple[int, int | None]] | None = None if keep else []
    try:
        apply_redirects(shell, redirects, saved)
    except RedirectError:
        if saved:
            restore_fds(saved)
        return 2
    try:
        return function(*args)
    finally:
        if saved:
            restore_fds(saved)


def _group(shell: Shell, node: Group, run) -> int:
    return run(shell, node.body)


def _condition(shell: Shell, node: Node, run) -> int:
    """The condition of if/while: set -e does not apply to it."""
    shell.errexit_off += 1
    try:
        return run(shell, node)
    finally:
        shell.errexit_off -= 1


def _if(shell: Shell, node: If, run) -> int:
    for cond, body in node.clauses:
        if _condition(shell, cond, run) == 0:
            return run(shell, body)
    if node.else_body is not None:
        return run(shell, node.else_body)
    return 0


def _turn(shell: Shell, body: Node, run, status: int) -> tuple[int, bool]:
    """Run one turn of a loop body: (its status, whether `break` ends this loop).
    `continue` keeps the last status; `break N`/`continue N` with N > 1 leave this loop
    and go on in the enclosing one."""
    try:
        return run(shell, body), False
    except BreakLoop as leave:
        if leave.count > 1:
            raise BreakLoop(leave.count - 1) from None
        return status, True
    except ContinueLoop as again:
        if again.count > 1:
            raise ContinueLoop(again.count - 1) from None
        return status, False


def _loop(shell: Shell, node: Loop, run) -> int:
    status = 0
    shell.loop_depth += 1
    try:
        while (_condition(shell, node.cond, run) == 0) != node.until:
            status, broke = _turn(shell, node.body, run, status)
            if broke:
                break
    finally:
        shell.loop_depth -= 1
    return status


def _for(shell: Shell, node: For, run) -> int:
    try:
        if node.words is None:
            values = list(shell.positional)
        else:
            values = []
            for word in node.words:
                values.extend(expand_word(shell, word))
    except ExpansionError as err:
        return expansion_failed(shell, err)
    status = 0
    shell.loop_depth += 1
    try:
        for value in values:
            shell.set_var(node.name, value)
            status, broke = _turn(shell, node.body, run, status)
            if broke:
                break
    finally:
        shell.loop_depth -= 1
    return status


def _case(shell: Shell, node: Case, run) -> int:
    from .pattern import matches  # imported on first use: `re` costs start-up time

    try:
        word = expand_single(shell, node.word)
        falling = False
        for item in node.items:
            if not falling and not any(matches(expand_pattern(shell, p), word)
                                       for p in item.patterns):
                continue
            status = run(shell, item.body) if item.body is not None else 0
            if not item.fallthrough:
                return status
            falling = True
        return 0 if not falling else status
    except ExpansionError as err:
        return expansion_failed(shell, err)


def expansion_failed(shell: Shell, err: ExpansionError) -> int:
    """`${x?msg}`, `$((1/0))`: the message; a script ends (status 2), as in dash."""
    from .explain import error

    error(str(err))
    if not shell.interactive:
        raise builtins.ShellError
    return 2


# --- functions and builtins ----------------------------------------------------------------


def call_function(shell: Shell, argv: list[str], command: Command, run) -> int:
    """A function runs in the shell with $1... set to its arguments; prefix assignments and
    `local` variables are put back when it returns."""
    body = shell.functions[argv[0]]
    if shell.function_depth >= MAX_FUNCTION_DEPTH:  # dash's limit, and its message
        from .explain import error

        error(f"Maximum function recursion depth ({MAX_FUNCTION_DEPTH}) reached")
        raise ExitShell(2)
    saved_args = shell.positional
    scope: dict[str, str | None] = {}
    shell.local_scopes.append(scope)
    shell.function_depth += 1
    loop_depth, shell.loop_depth = shell.loop_depth, 0  # `break` does not leave the function
    try:
        assigned = []
        for assignment in command.assignments:
            value = expand_single(shell, assignment.value, True)
            scope.setdefault(assignment.name, shell.vars.get(assignment.name))
            shell.set_var(assignment.name, value)
            assigned.append(f"{assignment.name}={value}")
        if shell.xtrace:
            xtrace(shell, assigned, argv)
        shell.positional = argv[1:]
        try:
            if command.redirects:
                return with_redirects(shell, command.redirects, run, shell, body)
            return run(shell, body)
        except ReturnFunction as leave:
            return leave.status
        except RecursionError:
            from .explain import error

            error(f"{argv[0]}: function calls nested too deeply")
            raise ExitShell(2) from None
    finally:
        shell.loop_depth = loop_depth
        shell.function_depth -= 1
        shell.positional = saved_args
        shell.local_scopes.pop()
        for name, value in scope.items():
            if name == "-":  # `local -` kept the option letters of $-
                from .builtins_vars import restore_options

                restore_options(shell, value)
            elif value is None:
                shell.unset_var(name)
            else:
                shell.set_var(name, value)


def run_builtin(shell: Shell, argv: list[str], command: Command, special: bool) -> int:
    """A builtin runs in the shell process with its redirections undone afterwards (those of
    `exec` stay). Prefix assignments (`X=1 cd`) last for a regular builtin only; a special
    builtin keeps them (`x=1 :` sets x), and its redirection errors end a script."""
    builtin = builtins.BUILTINS[argv[0]]
    saved = {}
    assigned = []
    for assignment in command.assignments:
        value = expand_single(shell, assignment.value, True)
        if not special:
            saved.setdefault(assignment.name, shell.vars.get(assignment.name))
        shell.set_var(assignment.name, value)
        assigned.append(f"{assignment.name}={value}")
        if argv[0] == "exec" and len(argv) > 1:  # `x=1 exec cmd`: cmd's environment
            shell.export(assignment.name)
    if shell.xtrace:
        xtrace(shell, assigned, argv)
    try:
        if argv[0] == "exec" and command.redirects:
            try:
                apply_redirects(shell, command.redirects)
            except RedirectError:
                return _redirect_failed(shell, special)
            return builtin(shell, argv)
        if not command.redirects:
            return builtin(shell, argv)
        saved_fds: list = []
        try:
            apply_redirects(shell, command.redirects, saved_fds)
        except RedirectError:
            restore_fds(saved_fds)
            return _redirect_failed(shell, special)
        try:
            return builtin(shell, argv)
        finally:
            restore_fds(saved_fds)
    finally:
        for name, value in saved.items():
            if value is None:
                shell.unset_var(name)
            else:
                shell.set_var(name, value)


def _redirect_failed(shell: Shell, special: bool) -> int:
    if special and not shell.interactive:
        raise builtins.ShellError
    return 2 if special else 2


def xtrace(shell: Shell, assigned: list[str], argv: list[str]) -> None:
    """set -x, as dash shows it: $PS4 (expanded), then the assignments and the arguments as
    they were expanded (once: a `$(...)` in them has run already), unquoted."""
    prompt = shell.vars.get("PS4", "")
    # (Not a command substitution: dash does not run one there, and its trace would
    # expand PS4 again, without end.)
    if "$" in prompt and "$(" not in prompt and "`" not in prompt:
        from .ast import Word
        from .lexer import heredoc_parts

        try:
            prompt = expand_single(shell, Word(heredoc_parts(prompt), prompt))
        except ExpansionError:
            pass
    notice(prompt + " ".join(assigned + argv) + "\n")


def prefix_environment(shell: Shell, assignments: list) -> dict[str, str]:
    """`A=1 B=$A cmd`: the extra environment, each value seeing the ones before it."""
    if not assignments:
        return {}
    env: dict[str, str] = {}
    saved = {}
    try:
        for assignment in assignments:
            if assignment.name in shell.readonly:  # dash refuses `r=2 cmd` for a readonly r
                raise builtins.BuiltinError(f"{assignment.name}: is read only")
            value = expand_single(shell, assignment.value, True)
            env[assignment.name] = value
            saved.setdefault(assignment.name, shell.vars.get(assignment.name))
            shell.vars[assignment.name] = value
    finally:
        for name, value in saved.items():
            if value is None:
                shell.vars.pop(name, None)
            else:
                shell.vars[name] = value
    return env
