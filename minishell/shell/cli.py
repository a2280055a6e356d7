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

import codecs
import os
import sys

from . import traps
from .builtins import ExitShell
from .explain import error
from .parser import Incomplete, ShellSyntaxError, parse

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
    try:
        try:
            status = run(sys.argv[1:] if argv is None else argv)
        except ExitShell as leave:
            status = leave.status
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


def run(args: list[str]) -> int:
    explain = interactive = False
    command = None
    while args and args[0].startswith("-") and args[0] != "-":
        option, args = args[0], args[1:]
        if option == "--explain":
            explain = True
        elif option == "-i":
            interactive = True
        elif option == "-c":
            if not args:
                error("-c: option requires an argument")
                return 2
            command, args = args[0], args[1:]
            break
        elif option in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        elif option == "--":
            break
        else:
            error(f"{option}: unknown option")
            sys.stderr.write(USAGE)
            return 2

    from .state import Shell

    if command is not None:
        shell = Shell(explain=explain, arg0=args[0] if args else "minishell", args=args[1:])
        return shell.run_text(command)
    if args:
        return run_script_file(args[0], args[1:], explain)
    if interactive or os.isatty(0):
        shell = Shell(interactive=True, explain=explain)
        shell.start_job_control()
        try:
            if not os.isatty(0):  # `-i` on a pipe: no line editor can work there
                return plain_prompt(shell)
            return run_interactive(shell)
        finally:
            if shell.terminal is not None:
                shell.terminal.release()
    return run_stdin(Shell(explain=explain))


def run_script_file(path: str, args: list[str], explain: bool) -> int:
    from .state import Shell, read_script

    try:
        text = read_script(path)
    except OSError as err:
        error(f"cannot open {path}: {err.strerror}")
        return 2
    shell = Shell(explain=explain, arg0=path, args=args)
    shell.source_name = path
    return shell.run_text(text)


def run_stdin(shell) -> int:
    """Commands from a pipe or file: read a block, run the complete lines in it, repeat."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    pending = ""
    while True:
        data = os.read(0, 65536)
        pending += decoder.decode(data, final=not data)
        if data:
            cut = pending.rfind("\n") + 1
            if cut == 0:
                continue  # no complete line yet
            text, rest = pending[:cut], pending[cut:]
            shell.run_text(text, final=False)
            pending = shell.unconsumed + rest
        else:
            return shell.run_text(pending)


def run_interactive(shell) -> int:
    """A terminal: the prompt_toolkit front end if it is installed, else a plain prompt."""
    try:
        from .repl import run_interactive as prompt_toolkit_loop
    except ImportError:
        return plain_prompt(shell)
    return prompt_toolkit_loop(shell)


def plain_prompt(shell) -> int:
    """The simplest interactive loop: input(), continuation lines, Ctrl-C, Ctrl-D."""
    import _signal

    buffer = ""
    while True:
        shell.report_job_changes()
        # The shell ignores SIGINT; only while it reads a line does Ctrl-C discard the line.
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        try:
            line = input("> " if buffer else f"{os.path.basename(os.getcwd()) or '/'} $ ")
        except EOFError:
            sys.stdout.write("\n")
            return shell.status
        except KeyboardInterrupt:
            sys.stdout.write("\n")
            buffer = ""
            continue
        finally:
            _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
        text = buffer + line + "\n"
        try:
            parse(text)
        except Incomplete:
            buffer = text
            continue
        except ShellSyntaxError:
            pass  # run_text reports it
        buffer = ""
        try:
            shell.run_text(text)
        except ExitShell as leave:
            return leave.status
