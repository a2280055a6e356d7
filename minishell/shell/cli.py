"""The `minishell` command: choose where commands come from, then hand them to a Shell.

    minishell [--explain] -c 'TEXT' [NAME [ARG...]]   run TEXT ($0 is NAME, $1... the ARGs)
    minishell [--explain] SCRIPT [ARG...]             run a script file
    minishell [--explain]                             read commands from standard input:
                                                      a prompt if it is a terminal

OS idea: the same shell is interactive or not depending on what fd 0 is (isatty(0)), as every
Unix shell decides. The non-interactive modes never import prompt_toolkit: its import costs
~115 ms and 16 MiB, and every fork of a bigger process is slower.
"""

from __future__ import annotations

import os
import sys

USAGE = """\
usage: minishell [--explain] [-c TEXT [NAME [ARG...]] | SCRIPT [ARG...]]
  -c TEXT     run the commands in TEXT
  SCRIPT      run the commands in the file SCRIPT, with $1... set to the ARGs
  --explain   narrate every process-related system call on stderr
  -i          interactive even if standard input is not a terminal
With neither, commands are read from standard input (a prompt when it is a terminal).
"""


def main(argv: list[str] | None = None) -> int:
    """Entry point; the last line of defence turns any unexpected error into one line."""
    args = sys.argv[1:] if argv is None else argv
    undo_locale_coercion()
    # First thing, before the imports: at a terminal, take the keys typed so far and stop
    # the terminal acting on new ones (typeahead.py), so each acts as it would at the prompt.
    early = take_early_keys(args)
    from .builtins import ExitShell
    from .explain import error

    try:
        try:
            status = run(args, early)
        except ExitShell as leave:
            status = leave.status
        from . import traps
        return traps.run_exit_trap(status) & 255  # `trap ... EXIT`, once, at the very end
    except ExitShell as leave:
        return leave.status & 255
    except KeyboardInterrupt:
        return 130
    except RecursionError:
        error("too deeply nested")
        return 2
    except Exception as err:  # a bug in minishell: say so in one line, never a traceback
        error(f"internal error: {type(err).__name__}: {err}")
        return 70


def undo_locale_coercion() -> None:
    """Give the children the environment we were given. With no LC_ALL/LC_CTYPE/LANG (or a
    "C" locale), Python itself adds LC_CTYPE=C.UTF-8 to its environment at start-up (PEP
    538), and every program the shell ran would inherit it: dash passes no such variable.
    The kernel keeps the environment execve(2) gave us in /proc/self/environ."""
    if os.environ.get("LC_CTYPE") != "C.UTF-8":
        return
    from ..procfs import read

    if not any(entry.startswith(b"LC_CTYPE=") for entry in read(os.getpid(), "environ")
               .split(b"\0")):
        del os.environ["LC_CTYPE"]  # (os.environ unsets it in the C library's environ too)


def take_early_keys(args: list[str]) -> tuple[bytes, list | None]:
    """(keys typed ahead, the terminal's modes) when the shell will prompt on a screen."""
    if any(arg not in ("--explain", "-i") for arg in args) or not os.isatty(0):
        return b"", None
    from .typeahead import capture, draws_on_a_screen

    if not draws_on_a_screen():
        return b"", None  # a dumb terminal: its own line editing is used, keys stay there
    import termios

    try:
        modes = termios.tcgetattr(0)  # the modes to give back, whatever happens next
    except termios.error:
        return b"", None
    try:
        keys = capture(0)[0]
    except KeyboardInterrupt:  # Ctrl-C typed while Python started: as at the prompt
        keys = b"\x03" + capture(0)[0]
    return keys, modes


def run(args: list[str], early: tuple[bytes, list | None] = (b"", None)) -> int:
    from .explain import error

    try:
        explain, interactive, command, options, args = parse_options(args)
    except ValueError as err:
        error(str(err))
        return 2
    if explain is None:
        sys.stdout.write(USAGE)
        return 0

    from .state import Shell

    def shell_with_options(**how) -> Shell:
        shell = Shell(explain=explain, **how)
        if options:
            from .builtins_vars import set_option

            for name, on in options:
                set_option(shell, name, on)
        return shell

    if command is not None:
        shell = shell_with_options(arg0=args[0] if args else "minishell", args=args[1:])
        return shell.run_text(command)
    if args and ("stdin", True) not in options:
        return run_script_file(shell_with_options(arg0=args[0], args=args[1:]), args[0])
    if interactive or (not args and os.isatty(0)):
        shell = shell_with_options(interactive=True)
        shell.start_job_control()
        keys, cooked = early
        if cooked is not None and shell.terminal is not None:
            shell.terminal.modes = cooked  # commands run with the modes from before
        try:
            if not os.isatty(0):  # `-i` on a pipe: no line editor can work there
                return plain_prompt(shell)
            return run_interactive(shell, keys, cooked)
        finally:
            from .typeahead import restore_modes

            restore_modes(cooked)
            if shell.terminal is not None:
                shell.terminal.release()
    return run_stdin(shell_with_options(args=args))


def parse_options(args: list[str]) -> tuple:
    """(explain, interactive, -c TEXT or None, [(option name, on)...], the other arguments).
    The letters are dash's (`sh -eu -c ...`, `+x`, `-o errexit`); explain is None for --help.
    Their table is imported only when some are given (it is not needed to start)."""
    explain = interactive = command_mode = False
    options: list[tuple[str, bool]] = []
    while args and args[0][:1] in ("-", "+") and args[0] not in ("-", "+"):
        option, args = args[0], args[1:]
        if option == "--explain":
            explain = True
            continue
        if option in ("-h", "--help"):
            return None, False, None, [], []
        if option == "--":
            break
        on = option[0] == "-"
        for letter in option[1:]:
            if letter == "c":
                command_mode = on
            elif letter == "i":
                interactive = on
            elif letter == "o":
                if not args:
                    raise ValueError(f"{option}: option requires an argument")
                name, args = args[0], args[1:]
                options.append((name, on))
            else:
                options.append((letter, on))
    if options:
        from .builtins_vars import LETTERS, NAMES

        for index, (name, on) in enumerate(options):
            if len(name) == 1:
                name = LETTERS.get(name, "")
            if name not in NAMES:
                raise ValueError(f"Illegal option {'-' if on else '+'}{options[index][0]}")
            options[index] = (name, on)
    command = None
    if command_mode:
        if not args:
            raise ValueError("-c requires an argument")
        command, args = args[0], args[1:]
    return explain, interactive, command, options, args


def run_script_file(shell, path: str) -> int:
    from .state import read_script

    try:
        text = read_script(path)
    except OSError as err:
        from .explain import error

        error(f"cannot open {path}: {err.strerror}")
        return 2
    shell.source_name = path
    return shell.run_text(text, echo=True)


def run_stdin(shell) -> int:
    """Commands from a pipe or a file, a line at a time, never reading past the line that
    runs next. A command the shell starts reads the same fd 0, and POSIX asks that it find
    its input there: `printf 'cat\\nx\\n' | minishell` gives `x` to cat, as bash does."""
    pending = ""
    shell.stdin = True  # the `s` of $-
    read_line = read_line_seeking if seekable(0) else read_line_bytewise
    while True:
        line = read_line(0)
        if not line:
            return shell.run_text(pending, echo=True)
        text = pending + line.decode("utf-8", "surrogateescape")
        if continued(text):  # `echo a\<newline>`: the command goes on on the next line
            pending = text
            continue
        shell.run_text(text, final=False, echo=True)
        pending = shell.unconsumed  # an open quote, a trailing `|`: the next line completes it


def continued(line: str) -> bool:
    """Whether a line ends in an unquoted backslash-newline (an odd number of backslashes;
    inside quotes the text is incomplete anyway, so the next line is read either way)."""
    body = line[:-1] if line.endswith("\n") else line
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


def seekable(fd: int) -> bool:
    try:
        os.lseek(fd, 0, os.SEEK_CUR)
    except OSError:  # ESPIPE: a pipe, a socket, a terminal
        return False
    return True


def read_line_seeking(fd: int) -> bytes:
    """A line of a file: read a block, then lseek back to just after its first newline, so
    the file offset (shared with the commands we start) is where the next line begins."""
    line = b""
    while block := os.read(fd, 65536):
        end = block.find(b"\n") + 1
        if end:
            os.lseek(fd, end - len(block), os.SEEK_CUR)
            return line + block[:end]
        line += block
    return line


def read_line_bytewise(fd: int) -> bytes:
    """A line of a pipe, one read(2) of one byte at a time: what is read from a pipe cannot
    be put back, so the shell must not take a byte beyond the newline (bash does the same)."""
    line = bytearray()
    while (byte := os.read(fd, 1)) and byte != b"\n":
        line += byte
    return bytes(line + byte)


def run_interactive(shell, keys: bytes, cooked: list | None) -> int:
    """A terminal: the prompt_toolkit front end if it is installed, else a plain prompt."""
    try:
        from .repl import run_interactive as prompt_toolkit_loop
    except ImportError:
        return plain_prompt(shell)
    return prompt_toolkit_loop(shell, keys, cooked)


def plain_prompt(shell) -> int:
    """The simplest interactive loop, without prompt_toolkit (or on a pipe, with -i)."""
    from .builtins import ExitShell
    from .repl import PlainReader

    reader = PlainReader(shell)
    while True:
        shell.report_job_changes()
        try:
            text = reader.read()
        except EOFError:
            return shell.status
        except KeyboardInterrupt:
            shell.status = 130
            continue
        try:
            shell.run_text(text, echo=True)
        except ExitShell as leave:
            return leave.status
