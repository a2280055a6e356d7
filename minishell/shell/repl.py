"""The interactive shell: read a command at a terminal, run it, report what the jobs did.

OS idea: a terminal has two modes. While the user edits a line, prompt_toolkit puts it in raw
mode: every key reaches the shell as a byte, so Ctrl-C is just a key that throws the line away
(KeyboardInterrupt) and Ctrl-D on an empty line is end of input (EOFError). When the line runs,
the terminal is back in cooked mode and belongs to the foreground job (tcsetpgrp, in jobs.py):
then Ctrl-C makes the kernel send SIGINT to that job's process group, never to the shell.

Before each prompt the shell reaps finished and stopped background jobs (waitpid with WNOHANG)
and tells the user, as bash does: `[1]+  Done  sleep 1`.

prompt_toolkit takes over 100 ms to import, so the first prompt is painted with a plain write
first and the editor is loaded behind it. Keys typed meanwhile, or while a command runs, wait in
the terminal's queue (typeahead.py) and act as they would at the prompt. Whole lines of plain
text typed ahead or pasted run without starting the editor for each: they are shown after a
prompt as the editor would show them (200 pasted lines: as fast as bash).

With TERM=dumb no editor can draw: the kernel's own line editing is used (typeahead.py).
"""

from __future__ import annotations

import os
import re

from . import typeahead
from .builtins import ExitShell
from .explain import error, notice
from .typeahead import draws_on_a_screen

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .state import Shell

# The prompt's colours: (prompt_toolkit style, the same as an SGR code for the early paint).
PROMPT_STYLES = {"cwd": ("ansiblue bold", "1;34"), "status": ("ansired bold", "1;31")}
CONTINUATION = "> "  # bash's PS2


def run_interactive(shell: Shell, early_keys: bytes = b"", cooked: list | None = None) -> int:
    """The read-eval loop of an interactive shell; returns the shell's exit status.
    early_keys: typed before the shell was ready; cooked: the terminal modes it had then."""
    pass_hangup_to_jobs(shell)
    reader = None
    try:
        source_rc(shell)
        shell.report_job_changes()
        if draws_on_a_screen():
            reader = LineReader(shell, early_keys, cooked)
        else:
            reader = PlainReader(shell)
        while True:
            try:
                text = reader.read()
            except EOFError:  # Ctrl-D on an empty line: like `exit`
                if not warn_stopped_jobs(shell):
                    notice("exit\n")
                    return shell.status
            except KeyboardInterrupt:  # Ctrl-C at the prompt: the line is thrown away
                shell.status = 130
            else:
                run_command(shell, text)
            shell.report_job_changes()
    except ExitShell as leave:
        return leave.status
    finally:
        if reader is not None:
            reader.close()


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

    def __init__(self, shell: Shell, early_keys: bytes = b"", cooked: list | None = None):
        import termios

        self.shell = shell
        try:
            self.cooked = cooked or termios.tcgetattr(0)  # the modes commands run with
        except termios.error:
            self.cooked = None
        self.early_keys = early_keys
        start_on_a_fresh_line()
        os.write(1, painted_prompt(shell))  # at once: the editor takes 100 ms to load
        try:
            self.session = self._make_session()
        except BaseException:
            typeahead.restore_modes(self.cooked)  # never leave the terminal in raw mode
            raise
        self.history = self.session.history
        os.write(1, b"\r")  # prompt_toolkit draws the prompt again over the early one
        # Cooked again until the next read: the first command may come from the keys typed
        # ahead, and must run with the terminal as it was (Ctrl-Z, Ctrl-C act on it).
        typeahead.restore_modes(self.cooked)

    def read(self) -> str:
        """The next command: from lines typed ahead if they hold a whole one, else from the
        editor (which first gets the keys typed ahead)."""
        text = self.typed_ahead_command(self.early_keys)  # (the rest of a paste: no syscall)
        if text is None:
            text = self.read_with_editor()
        if text.strip():
            self.history.append_string(text)
        return text

    def read_with_editor(self) -> str:
        keys, _modes = typeahead.capture(0)  # raw mode from here: no key acts on its own
        keys = self.early_keys + self.editor_leftovers() + self.input.take_rest() + keys
        self.early_keys = b""
        try:
            text = self.typed_ahead_command(keys)
            if text is None:
                self.give_to_editor(keys)
                start_on_a_fresh_line()
                self.session.app.erase_when_done = False
                try:
                    # handle_sigint=False: the shell ignores SIGINT (jobs.py) and keeps it
                    # that way; in raw mode Ctrl-C arrives as a key anyway.
                    text = self.session.prompt(self._message, handle_sigint=False,
                                               pre_run=self._feed_presses)
                except UnexpectedEnd:  # Ctrl-D on an empty continuation line
                    text = self.session.default_buffer.text
                    os.write(1, b"\r\n")
                except TypedAhead:
                    keys = self.input.take_rest()
                    text = self.typed_ahead_command(keys)
                    if text is None:  # (not a whole command after all: edit it)
                        self.early_keys = keys
                        return self.read_with_editor()
        finally:
            typeahead.restore_modes(self.cooked)
        return text

    def close(self) -> None:
        self.history.trim_file()

    def typed_ahead_command(self, keys: bytes) -> str | None:
        """The first command, if whole lines of plain text typed ahead hold it: shown on the
        screen after the prompt as the editor would leave it, then returned."""
        lines: list[str] = []
        used = 0
        for line, used in typeahead.plain_lines(keys):  # noqa: B007  (used: after the loop)
            lines.append(line)
            text = "\n".join(lines)
            if not is_incomplete(text):
                break
        else:
            return None
        shown = fresh_line() + painted_prompt(self.shell) + f"\r\n{CONTINUATION}".join(
            lines).encode("utf-8", "surrogateescape")
        os.write(1, shown + b"\r\n")
        self.early_keys = keys[used:]  # the rest waits for the next read
        return text

    def editor_leftovers(self) -> bytes:
        """Keys the editor read but did not use (after the Enter that ended its line), as
        bytes again; a bracketed paste or a special key stays with the editor."""
        from prompt_toolkit.input.typeahead import get_typeahead, store_typeahead

        presses = get_typeahead(self.session.app.input)
        if all(len(press.data) == 1 for press in presses):
            return "".join(press.data for press in presses).encode("utf-8", "surrogateescape")
        store_typeahead(self.session.app.input, presses)
        return b""

    def give_to_editor(self, keys: bytes) -> None:
        """Keys typed ahead go to the editor, as soon as it has started."""
        self.presses: list = []
        if not keys:
            return
        from prompt_toolkit.input.vt100_parser import Vt100Parser

        parser = Vt100Parser(self.presses.append)
        parser.feed(keys.decode("utf-8", "surrogateescape"))
        parser.flush()

    def _feed_presses(self) -> None:
        """(pre_run) The keys typed ahead, once the editor has loaded its history: an Up
        typed ahead must find the last command, as it would later."""
        presses, self.presses = self.presses, []
        if not presses:
            return
        import asyncio

        app, buffer = self.session.app, self.session.default_buffer

        async def feed() -> None:
            await asyncio.sleep(0)  # the first drawing starts the history's loading
            loading = getattr(buffer, "_load_history_task", None)
            if loading is not None:
                await loading
            app.key_processor.feed_multiple(presses)
            app.key_processor.process_keys()

        app.create_background_task(feed())

    def _message(self):
        return [(f"class:prompt.{style}" if style else "", text)
                for style, text in prompt_parts(self.shell)]

    def _jobs(self) -> list[tuple[int, str]]:
        return [(job.number, job.text) for job in self.shell.jobs]

    def _make_session(self):
        from prompt_toolkit import PromptSession
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.shortcuts import CompleteStyle
        from prompt_toolkit.styles import Style, merge_styles

        from .completion import CommandIndex, ShellCompleter
        from .highlight import STYLE, ShellLexer
        from .history import open_history

        shell = self.shell
        index = CommandIndex(shell.builtin_names, lambda: shell.vars.get("PATH") or os.defpath)
        variables = lambda: shell.vars  # noqa: E731  (read at each key: `export` may add some)
        prompt_style = Style.from_dict({f"prompt.{k}": v[0] for k, v in PROMPT_STYLES.items()})
        self.input = line_input()
        session = PromptSession(
            input=self.input,
            history=open_history(history_path(shell.vars), variables),
            completer=ShellCompleter(index, variables, jobs=self._jobs),
            complete_while_typing=False,
            complete_style=CompleteStyle.READLINE_LIKE,
            lexer=ShellLexer(index, variables),
            style=merge_styles([STYLE, prompt_style]),
            include_default_pygments_style=False,
            key_bindings=key_bindings(),
            # Several lines only once the command has several: a one-line command gets
            # bash's Ctrl-R, `(reverse-i-search)'...': ...` at the prompt, not in a toolbar.
            multiline=Condition(lambda: "\n" in session.default_buffer.text),
            # "> " starts each continuation line; a long line that merely wraps gets nothing
            prompt_continuation=lambda width, line, wrap_count: "" if wrap_count else CONTINUATION,
            enable_suspend=False,  # Ctrl-Z would stop the shell itself
        )
        # The history is written by read(), for lines typed ahead too, and as bash does it
        # (prompt_toolkit would always drop a repeated line: that is HISTCONTROL=ignoredups).
        session.default_buffer.append_to_history = lambda: None
        return session


def line_input():
    """prompt_toolkit's terminal input, reading no further than the first line of a paste.

    Its key parser is written in Python: 200 lines pasted at once would all go through it
    (over 100 ms) before the first Enter runs its line. So a block of plain text is cut after
    its first line end; the rest goes back to the shell (take_rest), which runs whole lines
    of plain text without the editor (LineReader.typed_ahead_command)."""
    import sys

    from prompt_toolkit.input.vt100 import Vt100Input

    class LineInput(Vt100Input):
        rest = ""

        def read_keys(self):
            from prompt_toolkit.application import get_app
            from prompt_toolkit.enums import DEFAULT_BUFFER

            data = self.stdin_reader.read()
            end = min((i for i in (data.find("\r"), data.find("\n")) if i >= 0), default=-1)
            if 0 <= end < len(data) - 1 and "\x1b" not in data[:end]:
                app = get_app()
                if app.current_buffer.name == DEFAULT_BUFFER and not app.current_buffer.text:
                    # Lines pasted at an empty prompt: the shell runs them (the editor's
                    # prompt is erased: the shell draws it again with each line).
                    self.rest += data
                    app.erase_when_done = True
                    app.exit(exception=TypedAhead)
                    return []
                data, self.rest = data[:end + 1], self.rest + data[end + 1:]
            self.vt100_parser.feed(data)
            keys, self._buffer = self._buffer, []
            return keys

        def take_rest(self) -> bytes:
            rest, self.rest = self.rest, ""
            return rest.encode("utf-8", "surrogateescape")

        def parse_rest(self) -> list:
            """The keys cut off, parsed after all (the line was not a whole command)."""
            self.vt100_parser.feed(self.rest)
            self.rest = ""
            keys, self._buffer = self._buffer, []
            return keys

    return LineInput(sys.stdin)


class TypedAhead(Exception):
    """Lines pasted at an empty prompt: the editor steps aside (see line_input)."""


class UnexpectedEnd(Exception):
    """Ctrl-D on an empty continuation line: the command ends where it is (bash then
    reports the unexpected end of file)."""


def key_bindings():
    from prompt_toolkit import search
    from prompt_toolkit.enums import DEFAULT_BUFFER
    from prompt_toolkit.filters import has_focus, is_searching
    from prompt_toolkit.key_binding import KeyBindings

    bindings = KeyBindings()

    @bindings.add("enter", filter=has_focus(DEFAULT_BUFFER))
    def _enter(event) -> None:
        """Run the command, or open a continuation line if it is not finished yet."""
        buffer = event.current_buffer
        if is_incomplete(buffer.text):
            buffer.insert_text("\n")
            if hasattr(event.app.input, "parse_rest"):  # the next lines of a paste, if any
                event.app.key_processor.feed_multiple(event.app.input.parse_rest())
        else:
            buffer.validate_and_handle()

    @bindings.add("enter", filter=is_searching)
    def _enter_in_search(event) -> None:
        """Enter in a Ctrl-R search runs the line found, as in bash."""
        search.accept_search()
        _enter(event)

    @bindings.add("c-d", filter=has_focus(DEFAULT_BUFFER))
    def _ctrl_d(event) -> None:
        """End of input on an empty line; on an empty continuation line, the end of an
        unfinished command; elsewhere, delete the character under the cursor."""
        buffer = event.current_buffer
        document = buffer.document
        if not buffer.text:
            event.app.exit(exception=EOFError)
        elif not document.current_line and document.is_cursor_at_the_end:
            event.app.exit(exception=UnexpectedEnd)
        else:
            buffer.delete()

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

    return bindings


class PlainReader:
    """A dumb terminal: the kernel's canonical mode edits the line, so the screen shows
    exactly what runs; the prompt is plain text, continuation lines start with `> `."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.lines = typeahead.PlainLineReader(0)

    def close(self) -> None:
        pass

    def read(self) -> str:
        prompt = "".join(text for _style, text in prompt_parts(self.shell))
        text = self.lines.read_line(prompt)
        if text is None:
            raise EOFError
        while is_incomplete(text):
            more = self.lines.read_line(CONTINUATION)
            if more is None:
                return text  # Ctrl-D: run it as it is; the parser says what is missing
            text += "\n" + more
        return text


# A line of plain words (no quote, no operator, no `$`, no `\\`) cannot be unfinished, unless
# its first word opens a compound command. Checking that is much cheaper than parsing it,
# and it is what most pasted lines are.
PLAIN_LINE = re.compile(r"[\w ./,:+=@%^~-]*")
OPENING_WORDS = frozenset({"if", "then", "else", "elif", "while", "until", "for", "do", "case",
                           "select", "function", "trace", "time", "!", "{", "in"})


def is_incomplete(text: str) -> bool:
    """Does the text end inside a quote, after `|`, `&&`, `||`, `\\`, in an open `(`...?"""
    if PLAIN_LINE.fullmatch(text) and text.split(" ", 1)[0] not in OPENING_WORDS:
        return False
    from .parser import Incomplete, ShellSyntaxError, parse

    try:
        parse(text)
    except Incomplete:
        return True
    except ShellSyntaxError:
        return False  # run_text will print the error
    return False


def start_on_a_fresh_line() -> None:
    os.write(1, fresh_line())


def fresh_line() -> bytes:
    """What makes sure the prompt starts in column 0, as zsh and fish do (PROMPT_SP).

    After `printf abc` the cursor is in the middle of a line, and prompt_toolkit, which draws
    from column 0, would write the prompt over the output. Write a reverse-video `%` and spaces
    up to the last column: from column 0 they exactly fill the line and the `\\r` comes back to
    its start (then erased); from anywhere else they wrap, leaving `abc%` visible above."""
    if not draws_on_a_screen():
        return b""
    try:
        columns = os.get_terminal_size(1).columns
    except OSError:
        return b""
    return b"\x1b[7m%\x1b[0m" + b" " * (columns - 1) + b"\r\x1b[K"


def painted_prompt(shell: Shell) -> bytes:
    """The prompt with its colours as plain SGR codes: drawn before prompt_toolkit has
    loaded, and for lines typed ahead that run without it."""
    codes = {name: sgr for name, (_style, sgr) in PROMPT_STYLES.items()}
    painted = "".join(f"\x1b[{codes[style]}m{text}\x1b[0m" if style else text
                      for style, text in prompt_parts(shell))
    return painted.encode("utf-8", "surrogateescape")
