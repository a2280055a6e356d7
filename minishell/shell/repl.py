"""The interactive shell: read a command at a terminal, run it, report what the jobs did.

OS idea: a terminal has two modes. While the user edits a line, prompt_toolkit puts it in raw
mode: every key reaches the shell as a byte, so Ctrl-C is just a key that throws the line away
(KeyboardInterrupt) and Ctrl-D on an empty line is end of input (EOFError). When the line runs,
the terminal is back in cooked mode and belongs to the foreground job (tcsetpgrp, in jobs.py):
then Ctrl-C makes the kernel send SIGINT to that job's process group, never to the shell.

Before each prompt the shell reaps finished and stopped background jobs (waitpid with WNOHANG)
and tells the user, as bash does: `[1]+  Done  sleep 1`.

prompt_toolkit takes over 100 ms to import, so the first prompt is painted with a plain write
first and the editor is loaded behind it; keys typed meanwhile wait in the terminal's input queue
(echo is off for that moment) and are read by the editor when it starts.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

# The prompt's colours: (prompt_toolkit style, the same as an SGR code for the early paint).
PROMPT_STYLES = {"cwd": ("ansiblue bold", "1;34"), "status": ("ansired bold", "1;31")}
CONTINUATION = "> "  # bash's PS2


def run_interactive(shell: Shell) -> int:
    """The read-eval loop of an interactive shell; returns the shell's exit status."""
    source_rc(shell)
    shell.report_job_changes()
    reader = LineReader(shell)
    warned_stopped = False
    while True:
        try:
            text = reader.read()
        except KeyboardInterrupt:  # Ctrl-C at the prompt: the line is thrown away
            shell.status = 130
            shell.report_job_changes()
            continue
        except EOFError:  # Ctrl-D on an empty line
            if has_stopped_jobs(shell) and not warned_stopped:
                print("There are stopped jobs.", file=sys.stderr)
                warned_stopped = True
                continue
            print("exit", file=sys.stderr)
            return shell.status
        warned_stopped = False
        shell.run_text(text)
        shell.report_job_changes()


def source_rc(shell: Shell) -> None:
    """Run ~/.minishellrc in the shell itself (like `. ~/.minishellrc`), as bash does ~/.bashrc."""
    home = shell.vars.get("HOME") or os.path.expanduser("~")
    rc = os.path.join(home, ".minishellrc")
    if os.path.isfile(rc):
        import shlex

        shell.run_text(". " + shlex.quote(rc))


def has_stopped_jobs(shell: Shell) -> bool:
    from .jobs import STOPPED

    return any(job.state == STOPPED for job in shell.jobs)


def history_path(variables) -> str:
    """$XDG_STATE_HOME/minishell/history, or ~/.local/state/minishell/history (the XDG base
    directory rules: a relative XDG_STATE_HOME is ignored)."""
    state = variables.get("XDG_STATE_HOME") or ""
    if not os.path.isabs(state):
        home = variables.get("HOME") or os.path.expanduser("~")
        state = os.path.join(home, ".local", "state")
    return os.path.join(state, "minishell", "history")


def prompt_parts(shell: Shell) -> list[tuple[str, str]]:
    """The prompt as (style name, text) pieces: `~/src $ `, or `~/src [130] $ ` after a failure."""
    parts = [("cwd", display_cwd(shell))]
    if shell.status:
        parts += [("", " "), ("status", f"[{shell.status}]")]
    return parts + [("", " $ ")]


def display_cwd(shell: Shell) -> str:
    """The working directory with ~ for $HOME, as bash's \\w shows it."""
    cwd = shell.vars.get("PWD") or ""
    if not os.path.isabs(cwd):
        try:
            cwd = os.getcwd()
        except OSError:  # the directory was removed under us
            cwd = "?"
    home = (shell.vars.get("HOME") or "").rstrip("/")
    if home and (cwd == home or cwd.startswith(home + "/")):
        return "~" + cwd[len(home):]
    return cwd


class LineReader:
    """Reads one complete command (possibly several lines) with prompt_toolkit."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        with EarlyPrompt(shell):
            self.session = self._make_session()

    def read(self) -> str:
        # handle_sigint=False: the shell ignores SIGINT (jobs.py) and keeps it that way; in raw
        # mode Ctrl-C arrives as a key anyway.
        return self.session.prompt(self._message, handle_sigint=False)

    def _message(self):
        return [(f"class:prompt.{style}" if style else "", text)
                for style, text in prompt_parts(self.shell)]

    def _make_session(self):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.enums import DEFAULT_BUFFER
        from prompt_toolkit.filters import has_focus
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.shortcuts import CompleteStyle
        from prompt_toolkit.styles import Style, merge_styles

        from .completion import CommandIndex, ShellCompleter
        from .highlight import STYLE, ShellLexer

        shell = self.shell
        index = CommandIndex(shell.builtin_names, lambda: shell.vars.get("PATH") or os.defpath)
        variables = lambda: shell.vars  # noqa: E731  (read at each key: `export` may add some)
        bindings = KeyBindings()

        @bindings.add("enter", filter=has_focus(DEFAULT_BUFFER))
        def _enter(event) -> None:
            """Run the command, or open a continuation line if it is not finished yet."""
            buffer = event.current_buffer
            if is_incomplete(buffer.text):
                buffer.insert_text("\n")
            else:
                buffer.validate_and_handle()

        @bindings.add("c-z")
        def _ctrl_z(event) -> None:
            """Ctrl-Z at the prompt does nothing, as in bash (there is no job to stop)."""

        prompt_style = Style.from_dict({f"prompt.{k}": v[0] for k, v in PROMPT_STYLES.items()})
        return PromptSession(
            history=open_history(history_path(shell.vars)),
            completer=ShellCompleter(index, variables),
            complete_while_typing=False,
            complete_style=CompleteStyle.READLINE_LIKE,
            lexer=ShellLexer(index, variables),
            style=merge_styles([STYLE, prompt_style]),
            include_default_pygments_style=False,
            key_bindings=bindings,
            multiline=True,
            prompt_continuation=lambda width, line_number, wrap_count: CONTINUATION,
            enable_suspend=False,  # Ctrl-Z would stop the shell itself
        )


def is_incomplete(text: str) -> bool:
    """Does the text end inside a quote, after `|`, `&&`, `||`, `\\`, in an open `(`...?"""
    from .parser import Incomplete, ShellSyntaxError, parse

    try:
        parse(text)
    except Incomplete:
        return True
    except ShellSyntaxError:
        return False  # run_text will print the error
    return False


def open_history(path: str):
    """A FileHistory at path, or an in-memory one (with a warning) if the file cannot be used."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    class SafeFileHistory(FileHistory):
        """Writing the history must never crash the shell (disk full, file made read-only)."""

        warned = False

        def store_string(self, string: str) -> None:
            try:
                super().store_string(string)
            except OSError as err:
                if not self.warned:
                    self.warned = True
                    print(f"minishell: history not saved: {err.strerror}", file=sys.stderr)

    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "ab"):
            pass
    except OSError as err:
        print(f"minishell: {path}: {err.strerror}: history kept in memory only", file=sys.stderr)
        return InMemoryHistory()
    return SafeFileHistory(path)


class EarlyPrompt:
    """Paint the first prompt at once while the line editor loads behind it.

    On entry: write the prompt and turn echo off, so keys typed during the load stay queued in
    the terminal instead of being echoed in cooked mode. On exit: restore the terminal modes and
    move back to the start of the line, where prompt_toolkit draws the prompt again, the same.
    """

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.fd = sys.stdin.fileno()
        self.saved: list | None = None

    def __enter__(self) -> EarlyPrompt:
        if not sys.stdout.isatty():
            return self
        import termios

        try:
            self.saved = termios.tcgetattr(self.fd)
            quiet = termios.tcgetattr(self.fd)
            quiet[3] &= ~(termios.ECHO | termios.ICANON)
            termios.tcsetattr(self.fd, termios.TCSANOW, quiet)
        except termios.error:
            self.saved = None
        codes = {name: sgr for name, (_style, sgr) in PROMPT_STYLES.items()}
        painted = "".join(f"\x1b[{codes[style]}m{text}\x1b[0m" if style else text
                          for style, text in prompt_parts(self.shell))
        sys.stdout.write(painted)
        sys.stdout.flush()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.saved is not None:
            import termios

            termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
        if sys.stdout.isatty():
            sys.stdout.write("\r")
            sys.stdout.flush()
