"""The shell's state: one `Shell` object per shell process.

OS idea: what a process carries from one command to the next is exactly what the kernel keeps
per process (working directory, open files, signal dispositions, process group) plus what the
shell keeps in its own memory (variables, the environment to pass to execve, $?, the job
table). A fork copies all of it, which is why `( cd /tmp )` does not move the parent shell.

This is the API the interactive front end (repl.py) uses: `run_text`, `report_job_changes`,
`builtin_names`, and the attributes `vars`, `status`, `interactive`, `explain`, `jobs`.
"""

from __future__ import annotations

import _signal
import os

from . import executor, jobs, traps
from . import explain as narration
from .builtins import BUILTINS, BuiltinError, ExitShell, ShellError, fatal
from .compound import BreakLoop, ContinueLoop, ReturnFunction
from .expand import ExpansionError
from .explain import error, notice
from .parser import Incomplete, Parser, ShellSyntaxError, deep_call

PARSE_AHEAD = 16  # commands parsed before they run: see Shell.run_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .ast import Node


class Shell:
    """A running shell: variables, positional parameters, $?, jobs, terminal."""

    def __init__(self, *, interactive: bool = False, explain: bool = False,
                 arg0: str = "minishell", args: list[str] | tuple[str, ...] = ()):
        self.vars: dict[str, str] = dict(os.environ)
        self.exported: set[str] = set(self.vars)
        self._environ: dict[str, str] | None = None  # exported variables, rebuilt on change
        self._programs: dict[str, str] = {}  # PATH search results, like dash's `hash`
        self.arg0 = arg0
        self.positional: list[str] = list(args)
        self.status = 0
        self.pid = os.getpid()  # $$: stays the shell's pid inside subshells too
        self.last_background_pid: int | None = None
        self.interactive = interactive
        self.jobs = jobs.JobTable()
        self.job_control = False
        self.terminal: jobs.Terminal | None = None
        self.warned_stopped_jobs = False
        self.errexit = False  # set -e: a failing command ends the shell
        self.xtrace = False  # set -x: print each command before running it
        self.errexit_off = 0  # > 0 while running the left side of && or ||, or a `!` pipeline
        # The other `set -o` options (builtins_vars.OPTIONS) and what the builtins keep.
        self.noglob = self.nounset = self.noclobber = self.allexport = False
        self.verbose = self.noexec = self.ignoreeof = self.notify = False
        self.vi = self.emacs = self.privileged = self.nolog = self.debug = False
        self.stdin = False
        self.readonly: set[str] = set()  # `readonly NAME`
        self.vars["OPTIND"] = "1"  # getopts starts at $1, as in dash
        # What dash sets at start-up, unless inherited (not exported): $IFS, prompts, $PPID.
        for name, value in (("IFS", " \t\n"), ("PS1", "# " if os.geteuid() == 0 else "$ "),
                            ("PS2", "> "), ("PS4", "+ ")):
            self.vars.setdefault(name, value)
        self.vars["PPID"] = str(os.getppid())
        self.functions: dict[str, Node] = {}  # name() { ...; }
        self.local_scopes: list[dict[str, str | None]] = []  # saved values, per call
        self.loop_depth = 0  # for break/continue
        self.sub_status = 0  # status of the last $(...), for `x=$(cmd)`
        self.function_depth = 0
        self.aliases: dict[str, str] = {}  # `alias NAME=TEXT` (expanded by the parser)
        self.source_name: str | None = None  # script name, for syntax error messages
        self.unconsumed = ""  # text run_text(final=False) left for more input to complete
        self.explain = explain
        self._set_pwd()
        jobs.note_inherited_signals()
        if not interactive:
            # Like a C program (and dash): Ctrl-C ends a script, and a shell writing into a
            # closed pipe dies quietly of SIGPIPE rather than printing Python errors.
            # (A SIGINT ignored by whoever started us stays ignored, as POSIX asks.)
            if _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
                _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
            _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
        self.signals_to_reset = jobs.changed_signals(keep_inherited=not interactive)

    # -- the API for the front ends ---------------------------------------------------------

    @property
    def explain(self) -> bool:
        return narration.enabled()

    @explain.setter
    def explain(self, on: bool) -> None:
        narration.enable(on)

    def run_text(self, text: str, *, final: bool = True, echo: bool = False) -> int:
        """Parse and run `text`; return $?.

        A syntax error prints `minishell: ...` and sets $? to 2 once the commands before it
        have run; a non-interactive shell then stops, as dash does. With final=False, text
        ending inside a construct (an open quote, a trailing `|`) is left in
        `self.unconsumed` for the caller to complete.

        Up to PARSE_AHEAD commands are parsed before the first of them runs (the result is
        the same as parsing line by line, since nothing a command does changes how later
        lines parse). Why: after each fork every page the shell writes costs a page fault,
        and the parser writes to many pages; parsing ahead pays that once per batch instead
        of once per command. A batch, not the whole text: a fork copies the page tables of
        all the shell's memory, and the tree of a long script would grow it.

        echo: the text is input read from a file or a terminal, which `set -v` copies to
        stderr line by line as the parser reads it (dash does not for -c TEXT or eval)."""
        aliases = getattr(self, "aliases", None)
        # With aliases (or a script that may define some), each command is parsed only once
        # the one before it has run, as in dash: `alias` changes how later lines parse.
        # The same when `set -v` may be on: each line is echoed just before it runs.
        interleave = (bool(aliases) or "alias" in text
                      or (echo and (self.verbose or "set" in text)))
        parser = Parser(text, final, aliases=aliases)
        self.unconsumed = ""
        nodes: list[Node] = []
        problem: tuple[ShellSyntaxError, int] | None = None
        echoed = 0  # the text before this offset was read (and echoed if verbose)
        while True:
            try:
                node = parser.next_command()
                if echo and parser.offset > echoed:
                    if self.verbose:
                        notice(parser.text[echoed:parser.offset])
                    echoed = parser.offset
            except Incomplete as err:
                if not final:
                    self.unconsumed = parser.text[parser.offset:]  # (aliases expanded)
                else:
                    problem = (err, parser.offset)
                break
            except ShellSyntaxError as err:
                problem = (err, parser.tok.start)
                break
            if node is None:
                break
            nodes.append(node)
            if interleave or len(nodes) == PARSE_AHEAD:
                self.run_nodes(nodes)
        self.run_nodes(nodes)
        if problem is not None:
            return self.syntax_error(problem[0], text, problem[1])
        return self.status

    def run_nodes(self, nodes: list[Node]) -> None:
        """Run the commands parsed so far, and forget them."""
        for node in nodes:
            self.run_node(node)
        nodes.clear()

    def run_node(self, node: Node) -> int:
        try:
            status = deep_call(executor.run, self, node)
        except ExpansionError as err:
            status = executor.expansion_failed(self, err)
        except ReturnFunction as leave:  # `return` outside a function ends the shell
            if self.interactive:
                status = self.status = leave.status
            else:
                raise ExitShell(leave.status) from None
        except (BreakLoop, ContinueLoop):
            status = self.status
        except executor.Interrupted:
            status = self.status = 130
        except ShellSyntaxError as err:  # "too deeply nested" while running
            error(str(err))
            status = self.status = 2
        except BuiltinError as err:  # `for x in` a readonly x...: dash ends a script too
            status = fatal(self, str(err))
        if not self.interactive:
            self.report_job_changes()  # reap finished background jobs: no zombies
        return status

    def run_nested(self, text: str, name: str | None, dot: bool = False) -> int:
        """`eval TEXT` and `. FILE`: parse all of it, then run it in this shell. A syntax
        error there ends a script (both are special builtins)."""
        parser = Parser(text, final=True, aliases=getattr(self, "aliases", None))
        nodes = []
        try:
            while (node := parser.next_command()) is not None:
                nodes.append(node)
        except ShellSyntaxError as err:
            problem = err
        else:
            problem = None
        status = 0
        self.status = 0
        try:
            for node in nodes:
                status = executor.run(self, node)
        except ReturnFunction as leave:
            if not dot:
                raise
            status = self.status = leave.status
        if problem is not None:
            error(f"{name + ': ' if name else ''}{problem}")
            self.status = 2
            if not self.interactive:
                raise ShellError
            return 2
        return status

    def capture(self, body: Node) -> str:
        """`$(body)`: its output, run in a child (see executor.capture)."""
        return executor.capture(self, body)


    def report_job_changes(self, quiet: bool = False) -> None:
        """Reap children that changed state (waitpid(-1, WNOHANG|WUNTRACED|WCONTINUED)) and,
        interactive, tell the user: `[1]+ Done  sleep 1`, Stopped, Killed, `Exit 3`."""
        if not self.jobs:
            return
        options = os.WNOHANG | os.WUNTRACED | os.WCONTINUED
        while True:
            pid, status = jobs.waitpid(-1, options)
            if pid == 0:
                break
            job = self.jobs.by_pid(pid)
            if job is not None:
                job.record(pid, status)
        if self.interactive and not quiet:
            for job in self.jobs:
                if job.state != job.notified_state:
                    if job.state != jobs.RUNNING:  # as bash: no notice for `continued`
                        notice(f"[{job.number}]{self.jobs.mark(job)} {job.describe()}  "
                               f"{job.text}\n")
                    job.notified_state = job.state
        self.forget_notified_jobs()

    def forget_notified_jobs(self) -> None:
        """Done jobs the user was told about leave the table. A script keeps them, so that a
        later `wait PID` still finds the status."""
        if not self.interactive:
            return
        for job in list(self.jobs.jobs):
            if job.state == jobs.DONE and job.notified_state == jobs.DONE:
                self.jobs.remove(job)

    def builtin_names(self) -> list[str]:
        return sorted(BUILTINS)

    # -- job control --------------------------------------------------------------------

    def start_job_control(self) -> None:
        """Interactive: own process group, the terminal in the foreground, signals ignored."""
        import fcntl

        try:
            tty = fcntl.fcntl(0, fcntl.F_DUPFD_CLOEXEC, 10)
        except OSError:
            return
        self.terminal = jobs.Terminal(tty)
        self.terminal.take_control()
        self.job_control = True
        self.signals_to_reset = jobs.changed_signals(keep_inherited=False)

    def become_subshell(self) -> None:
        """In a forked child: no prompt, no job control, no jobs of its own. Its signal
        dispositions were reset already (its own children inherit them as they are)."""
        self.signals_to_reset = []
        traps.reset_for_subshell()
        self.interactive = False
        self.job_control = False
        self.terminal = None
        if self.jobs.jobs:  # (an empty table stays: fewer pages written in the child)
            self.jobs = jobs.JobTable()

    # -- variables ------------------------------------------------------------------------

    # The exported variables are also kept in the C library's `environ` (setenv/unsetenv),
    # so that a child can call execv(), which passes `environ` as it is: execve() with a
    # Python dict would build every NAME=value string in the child, after fork, where each
    # allocation copies a page of the parent's memory.

    def set_var(self, name: str, value: str) -> None:
        if name in self.readonly:
            from .builtins_vars import ReadonlyError

            raise ReadonlyError(f"{name}: is read only")
        if "\0" in value:  # a C string ends at NUL: dash drops them (read, $(...))
            value = value.replace("\0", "")
        self.vars[name] = value
        if self.allexport:
            self.exported.add(name)
        if name in self.exported:
            self._environ = None
            _setenv(name, value)
        if name == "PATH":
            self._programs.clear()

    def unset_var(self, name: str) -> None:
        self.vars.pop(name, None)
        if name in self.exported:
            self.exported.discard(name)
            os.unsetenv(name)
        self._environ = None
        if name == "PATH":
            self._programs.clear()

    def find_program(self, name: str, remember: bool = True) -> str | None:
        """The file execvp would run for `name`, remembered (a $PATH search is a stat per
        directory; scripts run the same few programs again and again)."""
        if "/" in name:
            return name
        path = self._programs.get(name)
        if path is None:
            path = executor.find_program(name, self.vars.get("PATH"))
            if path is not None and remember:
                self._programs[name] = path
        return path

    def export(self, name: str) -> None:
        self.exported.add(name)
        self._environ = None
        if name in self.vars:
            _setenv(name, self.vars[name])

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The environment for execve: exported variables, plus `NAME=value cmd` prefixes."""
        if self._environ is None:
            self._environ = {name: self.vars[name] for name in self.exported
                             if name in self.vars}
        if not extra:
            return self._environ
        return {**self._environ, **extra}

    def _set_pwd(self) -> None:
        """$PWD as inherited if it names the working directory, else the real path."""
        pwd = self.vars.get("PWD")
        try:
            valid = bool(pwd) and os.path.isabs(pwd) and os.path.samefile(pwd, ".")
        except OSError:
            valid = False
        if not valid:
            try:
                self.set_var("PWD", os.getcwd())
            except OSError:  # the directory was removed under us: leave PWD as it is
                pass
        if "PWD" in self.vars:
            self.export("PWD")  # as dash: a program started by the shell finds $PWD

    # -- scripts and errors -----------------------------------------------------------------

    def run_script(self, path: str, args: list[str], env: dict[str, str]) -> int:
        """In a child whose execve failed with ENOEXEC (a script without #!): become a fresh
        shell running that file, as dash does."""
        self.vars = dict(env)
        self.exported = set(env)
        self._environ = None
        for name, value in env.items():
            _setenv(name, value)
        self.arg0, self.positional, self.source_name = path, list(args), path
        try:
            text = read_script(path)
        except OSError as err:
            error(f"{path}: {err.strerror}")
            return 126
        try:
            return self.run_text(text)
        except ExitShell as leave:
            return leave.status

    def syntax_error(self, err: ShellSyntaxError, text: str, offset: int) -> int:
        where = ""
        if self.source_name:
            line = text.count("\n", 0, offset) + 1
            where = f"{self.source_name}: line {line}: "
        error(f"{where}{err}")
        self.status = 2
        if not self.interactive:
            raise ExitShell(2)
        return 2


def read_script(path: str) -> str:
    """A file of commands as text. Bytes that are not UTF-8 survive (surrogateescape) and go
    back out unchanged in arguments, as they would in a C shell."""
    with open(path, "rb") as file:
        return file.read().decode("utf-8", "surrogateescape")


def _setenv(name: str, value: str) -> None:
    try:
        os.putenv(name, value)
    except ValueError:  # a NUL byte: it cannot be in an environment string
        pass
