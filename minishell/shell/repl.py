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

from .builtins import ExitShell
from .explain import error, notice

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

# The prompt's colours: (prompt_toolkit style, the same as an SGR code for the early paint).
PROMPT_STYLES = {"cwd": ("ansiblue bold", "1;34"), "status": ("ansired bold", "1;31")}
CONTINUATION = "> "  # bash's PS2


def run_interactive(shell: Shell) -> int:
    """The read-eval loop of an interactive shell; returns the shell's exit status."""
    pass_hangup_to_jobs(shell)
    try:
        source_rc(shell)
        shell.report_job_changes()
        reader = LineReader(shell)
        while True:
            try:
                text = reader.read()
            except KeyboardInterrupt:  # Ctrl-C at the prompt: the line is thrown away
                shell.status = 130
            except EOFError:  # Ctrl-D on an empty line: like `exit`
                if not warn_stopped_jobs(shell):
                    notice("exit\n")
                    return shell.status
            else:
                run_command(shell, text)
            shell.report_job_changes()
    except ExitShell as leave:
        return leave.status


def pass_hangup_to_jobs(shell: Shell) -> None:
    """When the terminal goes away (window closed, ssh dropped), the kernel sends SIGHUP to
    the shell, which leads the session. As bash does, pass it on to every job, with SIGCONT
    for a stopped one so that it can act on it, then end: no job is left running without
    its terminal."""
    import _signal

    from .jobs import STOPPED

    def hang_up(signum: int, frame) -> None:
        for job in shell.jobs:
            stopped = job.state == STOPPED
            for number in (_signal.SIGHUP, _signal.SIGCONT) if stopped else (_signal.SIGHUP,):
                try:
                    os.killpg(job.pgid or 0, number)  # (no pgid: no job control, our group)
                except OSError:
                    pass
        os._exit(128 + signum)

    _signal.signal(_signal.SIGHUP, hang_up)


def run_command(shell: Shell, text: str) -> None:
    warned = shell.warned_stopped_jobs
    try:
        shell.run_text(text)
    except (ExitShell, KeyboardInterrupt):
        raise
    except Exception as err:  # a bug in minishell must cost one command, not the session
        error(f"internal error: {type(err).__name__}: {err}")
        shell.status = 70
    if warned:  # as bash: a command between two `exit`s means the next one warns again
        shell.warned_stopped_jobs = False


def warn_stopped_jobs(shell: Shell) -> bool:
    """On the first attempt to leave with stopped jobs, warn (once) and stay."""
    from .jobs import STOPPED

    if shell.warned_stopped_jobs or not any(job.state == STOPPED for job in shell.jobs):
        return False
    error("there are stopped jobs (exit again to leave anyway)")
    shell.warned_stopped_jobs = True
    return True


def source_rc(shell: Shell) -> None:
    """Run ~/.minishellrc in the shell itself (like `. ~/.minishellrc`), as bash does ~/.bashrc."""
    home = shell.vars.get("HOME") or os.path.expanduser("~")
    rc = os.path.join(home, ".minishellrc")
    if os.path.isfile(rc):
        import shlex

        shell.run_text(". " + shlex.quote(rc))


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
        start_on_a_fresh_line()
        self.early_modes = paint_early_prompt(shell)
        try:
            self.session = self._make_session()
        except BaseException:
            if self.early_modes is not None:  # never leave the terminal in raw mode
                restore_modes(self.early_modes)
            raise
        if self.early_modes is not None:
            os.write(1, b"\r")  # prompt_toolkit draws the prompt again over the early one

    def read(self) -> str:
        if self.early_modes is None:  # the early prompt is already on a fresh line
            start_on_a_fresh_line()
        # Raw mode before the prompt is drawn (prompt_toolkit sets it only after it has drawn a
        # prompt on a dumb terminal): a key typed as soon as the prompt shows reaches the editor.
        cooked, self.early_modes = self.early_modes or enter_raw_mode(), None
        try:
            # handle_sigint=False: the shell ignores SIGINT (jobs.py) and keeps it that way; in
            # raw mode Ctrl-C arrives as a key anyway.
            return self.session.prompt(self._message, handle_sigint=False)
        finally:
            if cooked is not None:
                restore_modes(cooked)

    def _message(self):
        return [(f"class:prompt.{style}" if style else "", text)
                for style, text in prompt_parts(self.shell)]

    def _jobs(self) -> list[tuple[int, str]]:
        return [(job.number, job.text) for job in self.shell.jobs]

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

        @bindings.add("c-c", filter=has_focus(DEFAULT_BUFFER))
        def _ctrl_c(event) -> None:
            """Throw the line away, leaving `^C` after it on the screen as bash does, so that
            it does not look as if it had run."""
            buffer = event.current_buffer
            buffer.cursor_position = len(buffer.text)
            buffer.insert_text("^C")
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        @bindings.add("c-z")
        def _ctrl_z(event) -> None:
            """Ctrl-Z at the prompt does nothing, as in bash (there is no job to stop)."""

        prompt_style = Style.from_dict({f"prompt.{k}": v[0] for k, v in PROMPT_STYLES.items()})
        return PromptSession(
            history=open_history(history_path(shell.vars)),
            completer=ShellCompleter(index, variables, jobs=self._jobs),
            complete_while_typing=False,
            complete_style=CompleteStyle.READLINE_LIKE,
            lexer=ShellLexer(index, variables),
            style=merge_styles([STYLE, prompt_style]),
            include_default_pygments_style=False,
            key_bindings=bindings,
            multiline=True,
            # "> " starts each continuation line; a long line that merely wraps gets nothing
            prompt_continuation=lambda width, line, wrap_count: "" if wrap_count else CONTINUATION,
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
                    error(f"history not saved: {err.strerror}")

    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        # private, as bash's: what people type can hold passwords
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    except OSError as err:
        error(f"{path}: {err.strerror}: history kept in memory only")
        return InMemoryHistory()
    return SafeFileHistory(path)


def draws_on_a_screen() -> bool:
    """Is stdout a terminal that understands escape sequences? (Not TERM=dumb, as in Emacs's
    M-x shell, where prompt_toolkit too falls back to plain text.)"""
    return os.isatty(1) and os.environ.get("TERM", "dumb") not in ("dumb", "unknown")


def start_on_a_fresh_line() -> None:
    """Make sure the prompt starts in column 0, as zsh and fish do (PROMPT_SP).

    After `printf abc` the cursor is in the middle of a line, and prompt_toolkit, which draws
    from column 0, would write the prompt over the output. Write a reverse-video `%` and spaces
    up to the last column: from column 0 they exactly fill the line and the `\\r` comes back to
    its start (then erased); from anywhere else they wrap, leaving `abc%` visible above."""
    if not draws_on_a_screen():
        return
    try:
        columns = os.get_terminal_size(1).columns
    except OSError:
        return
    os.write(1, b"\x1b[7m%\x1b[0m" + b" " * (columns - 1) + b"\r\x1b[K")


def paint_early_prompt(shell: Shell) -> list | None:
    """Paint the first prompt at once, before the line editor has loaded.

    The terminal goes to raw mode first, so keys typed during the load, Ctrl-C and Enter
    included, wait in the input queue for the editor. Returns the cooked modes to restore after
    the first prompt, or None when there is no screen to draw on (then prompt_toolkit draws).
    """
    if not draws_on_a_screen():
        return None
    saved = enter_raw_mode()
    if saved is None:
        return None
    codes = {name: sgr for name, (_style, sgr) in PROMPT_STYLES.items()}
    painted = "".join(f"\x1b[{codes[style]}m{text}\x1b[0m" if style else text
                      for style, text in prompt_parts(shell))
    os.write(1, painted.encode("utf-8", "surrogateescape"))
    return saved


def enter_raw_mode() -> list | None:
    """Put the terminal in raw mode as prompt_toolkit sets it: no echo, no line editing, no
    signals from keys (Ctrl-C is a byte), no CR-to-NL translation. Returns the modes it had,
    or None if stdin is not a terminal. (prompt_toolkit saves the modes it finds and puts them
    back when the prompt ends, so the caller restores these afterwards.)"""
    import termios

    try:
        saved = termios.tcgetattr(0)
        raw = termios.tcgetattr(0)
        raw[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
        raw[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
        termios.tcsetattr(0, termios.TCSANOW, raw)
    except termios.error:
        return None
    return saved


def restore_modes(modes: list) -> None:
    import termios

    try:
        termios.tcsetattr(0, termios.TCSANOW, modes)
    except termios.error:
        pass
