"""`minitrace`: run a command (or attach to a process) and show its system calls.

    minitrace [options] CMD [ARGS...]      trace a command, its children and threads
    minitrace -p PID [options]             attach to a running process (Ctrl-C detaches)
    minitrace render TRACE.jsonl --tree    draw a saved --json trace

The options follow strace's where strace has one.  The data flows one way:
engine (tracee -> events) -> the sinks chosen here (text, JSON, summary, pictures).
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import signal
import sys
from collections.abc import Callable, Iterable
from typing import IO

from minishell.trace import engine as eng
from minishell.trace.events import Event, SchemaError, SyscallEvent, fill_text, load_jsonl
from minishell.trace.render_text import TextRenderer

PICTURES = ("tree", "fds", "html", "perfetto")


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, told the terminal's width: its own asks shutil, whose import (with
    bz2, lzma and fnmatch) costs a few ms of start-up on every trace, --help or not."""

    def __init__(self, prog: str, **kwargs) -> None:
        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(2).columns
        except (ValueError, OSError):
            columns = 80
        super().__init__(prog, width=kwargs.pop("width", None) or columns - 2, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        formatter_class=HelpFormatter, prog="minitrace",
        usage="minitrace [options] CMD [ARGS...] | -p PID | render TRACE.jsonl",
        description="Show the system calls of a command and of every process it starts.")
    p.add_argument("-f", action="store_true", help="follow children (the default; accepted)")
    p.add_argument("--no-follow", action="store_true", help="trace the first process only")
    p.add_argument("-p", dest="pids", type=int, action="append", metavar="PID",
                   help="attach to a running process; Ctrl-C detaches and leaves it running")
    p.add_argument("-o", dest="output", metavar="FILE", help="write the trace to FILE")
    p.add_argument("-e", dest="expr", metavar="trace=SET",
                   help="trace only these calls: names, classes (%%file, process, ...), !negation")
    p.add_argument("--no-seccomp", action="store_true",
                   help="with -e, filter in the tracer instead of with a seccomp-bpf filter")
    p.add_argument("-z", dest="only", action="store_const", const="ok",
                   help="show successful calls only")
    p.add_argument("-Z", dest="only", action="store_const", const="failed",
                   help="show failed calls only")
    p.add_argument("-T", dest="durations", action="store_true", help="time spent in each call")
    p.add_argument("-t", dest="timestamps", action="count", default=0,
                   help="time of day (-tt with microseconds, -ttt as Unix time)")
    p.add_argument("-r", dest="relative", action="store_true",
                   help="time since the previous line")
    p.add_argument("-y", dest="decode_fds", action="store_true",
                   help="print the paths of fds (always on; accepted for strace's users)")
    p.add_argument("-s", dest="strsize", type=int, default=32, metavar="N",
                   help="show at most N characters of each string (default 32)")
    p.add_argument("-c", dest="summary", action="store_true",
                   help="count calls, errors and time per syscall instead of showing them")
    p.add_argument("--per-process", action="store_true", help="with -c: a table per process")
    p.add_argument("--json", action="store_true",
                   help="one JSON object per event (schema: docs/trace-events.md)")
    p.add_argument("--explain", action="store_true", help="a plain-English line under each call")
    p.add_argument("--raw", action="store_true", help="show clone() as it is, not as fork()")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--cpu", type=int, metavar="N",
                   help="run the tracer and the tracee on CPU N (steadier timings on small VMs)")
    p.add_argument("--tree", action="store_true", help="after the run: the process tree")
    p.add_argument("--fds", action="store_true", help="after the run: each process's fd table")
    p.add_argument("--html", metavar="FILE", help="write a timeline page")
    p.add_argument("--perfetto", metavar="FILE", help="write Chrome/Perfetto trace JSON")
    p.add_argument("--step", action="store_true", help="pause before each call until Enter")
    p.add_argument("--slow", type=int, default=0, metavar="MS", help="pause MS ms before each call")
    p.add_argument("--quiet-startup", action="store_true",
                   help="hide the dynamic loader's and libc's start-up calls")
    p.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    return p


def build_render_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(formatter_class=HelpFormatter, prog="minitrace render",
                                description="Draw a trace saved with --json.")
    p.add_argument("trace", help="a file written by minitrace --json -o FILE")
    p.add_argument("--tree", action="store_true")
    p.add_argument("--fds", action="store_true")
    p.add_argument("--html", metavar="FILE")
    p.add_argument("--perfetto", metavar="FILE")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    return p


class UsageError(Exception):
    """A mistake in what the user asked: one line, and the status to exit with."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def die(message: str, status: int = 1) -> int:
    print(f"minitrace: {message}", file=sys.stderr)
    return status


def renderer(name: str) -> Callable:
    """The picture function of trace-pictures' module (imported only when asked)."""
    module, func = {"tree": ("render_tree", "render_tree"), "fds": ("render_fds", "render_fds"),
                    "html": ("render_html", "write_html"),
                    "perfetto": ("render_perfetto", "write_perfetto")}[name]
    try:
        return getattr(importlib.import_module(f"minishell.trace.{module}"), func)
    except (ImportError, AttributeError):
        raise UsageError(f"--{name} is not available yet in this minitrace") from None


def draw_pictures(events: list[dict], args: argparse.Namespace, out: IO[str]) -> None:
    """Everything drawn after the run, from the list of event dicts."""
    color = use_color(args.color, out)
    for name in ("tree", "fds"):
        if getattr(args, name):
            out.write(renderer(name)(events, color=color))
            out.write("\n")
    for name in ("html", "perfetto"):
        path = getattr(args, name)
        if path:
            renderer(name)(events, path)
    out.flush()


def use_color(mode: str, out: IO[str]) -> bool:
    if mode != "auto":
        return mode == "always"
    return out.isatty() and "NO_COLOR" not in os.environ


def which(command: str) -> str | None:
    """The first PATH entry holding an executable `command` (as execvp searches; written
    out here because shutil, which has one, takes 15 ms to import)."""
    for directory in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(directory or ".", command)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def resolve(command: str) -> str:
    """The program execve will run, or UsageError with the reason (as a shell says it)."""
    path = command if "/" in command else which(command)
    if path is None or not os.path.exists(path):
        raise UsageError(f"{command}: command not found", 127)  # as a shell says it
    if os.path.isdir(path) or not os.access(path, os.X_OK):
        raise UsageError(f"{command}: permission denied", 126)
    return path


def render_main(argv: list[str]) -> int:
    args = build_render_parser().parse_args(argv)
    if not any((args.tree, args.fds, args.html, args.perfetto)):
        return die("render: say what to draw: --tree, --fds, --html FILE or --perfetto FILE", 2)
    try:
        with open(args.trace, encoding="utf-8") as f:
            events = list(load_jsonl(f))
    except OSError as e:
        return die(f"render: {args.trace}: {e.strerror}")
    except SchemaError as e:
        return die(f"render: {args.trace}: {e}")
    try:
        draw_pictures(events, args, sys.stdout)
    except UsageError as e:
        return die(str(e), 2)
    except BrokenPipeError:  # the reader went away (| head): stop quietly, like strace
        sys.stdout = None  # type: ignore[assignment]
        return 141
    return 0


class Session:
    """The sinks of one trace run, fed by the engine's emit()."""

    def __init__(self, args: argparse.Namespace, out: IO[str]) -> None:
        self.args = args
        self.out = out
        self.summary = None
        self.text = None
        self.events: list[dict] | None = None
        self.startup = None
        pictures = any(getattr(args, name) for name in PICTURES)
        if args.summary:
            from minishell.trace.summary import Summary
            self.summary = Summary()
        if pictures:
            for name in PICTURES:
                if getattr(args, name):
                    renderer(name)  # fail now, not after the run
            self.events = []
        if args.quiet_startup:
            self.startup = optional_class("StartupFilter", "--quiet-startup")()
        live = args.output is not None or not (args.summary or pictures)
        if live and args.json:
            import json

            self.dumps = json.JSONEncoder(separators=(",", ":")).encode
            self.text = self.write_json
        elif live and not args.summary:
            self.text = TextRenderer(out, color=use_color(args.color, out), explain=args.explain,
                                     strsize=args.strsize, raw=args.raw,
                                     timestamps=args.timestamps, relative=args.relative,
                                     durations=args.durations, only=args.only)
        self.needs_dict = self.text is not None or self.events is not None
        # the common case, a plain trace: calls go from the event to the text, no dict
        self.lean = (self.text.call if isinstance(self.text, TextRenderer) and not args.explain
                     and self.events is None and self.startup is None else None)
        if self.needs_dict:  # import the formatters now, not at the first call: that
            warm_up_formatting(args.explain)  # would stall the tracee
        # calls shown as blocked (on a terminal only: a file gets the complete lines)
        self.blocked: set[SyscallEvent] | None = (
            set() if isinstance(self.text, TextRenderer) and self.text.console else None)

    def emit(self, ev: Event) -> None:
        if self.lean is not None and type(ev) is SyscallEvent:
            self.lean(ev)
            return
        if self.summary is not None and type(ev) is SyscallEvent:
            self.summary.add(ev)
        elif self.summary is not None and ev.type == "exec":
            self.summary.names[ev.pid] = os.path.basename(ev.argv[0] if ev.argv else ev.path)
        if not self.needs_dict:
            return
        d = ev.to_dict()
        if self.startup is not None and not self.startup.keep(d):
            return
        if d["type"] == "syscall" and (self.events is not None or self.args.json):
            # the pictures' explanations are written after the run (explain_all): not
            # while the program waits at a stop
            fill_text(d, self.args.strsize, self.args.raw,
                      self.args.explain and self.text is not None)
        if self.text is not None:
            self.text(d)
        if self.events is not None:
            self.events.append(d)

    def idle(self, pending: Iterable[SyscallEvent], now: float) -> None:
        """The tracees are running or blocked: flush, and show blocked calls once."""
        if self.blocked is not None:
            waiting = {ev for ev in pending if now - ev.ts > 0.2}
            for ev in waiting - self.blocked:  # (not through --quiet-startup's filter:
                self.text.unfinished(ev.to_dict())  # it reads each finished call once)
            self.blocked = waiting
        self.out.flush()

    def write_json(self, d: dict) -> None:
        self.out.write(self.dumps(d) + "\n")

    def finish(self) -> None:
        # A --json -o FILE holds events only (`minitrace render FILE` reads it back):
        # the notes and pictures then go to stderr.
        notes = sys.stderr if self.args.json and self.args.output else self.out
        if self.startup is not None and self.startup.hidden:
            notes.write(f"minitrace: {self.startup.hidden} start-up calls hidden "
                        "(--quiet-startup)\n")
        if self.summary is not None:
            self.out.write(self.summary.table(self.args.per_process))
        if self.events is not None:
            explain_all(self.events, self.args.strsize)
            draw_pictures(self.events, self.args, notes)
        self.out.flush()


def explain_all(events: list[dict], strsize: int = 32) -> None:
    """The plain-English line of every call the pictures show, once the run is over
    (strings cut at -s, as in the calls' text)."""
    from minishell.trace.explain import explain

    for d in events:
        if d["type"] == "syscall" and "explain" not in d:
            d["explain"] = explain(d, strsize)


def warm_up_formatting(explain: bool) -> None:
    """Format one call before the trace starts, so that importing the decoder (and the
    explainer) is not paid inside the first stop of the program, where it would show
    as 20-50 ms of the program's time in the timeline."""
    from minishell.trace.syscalls import BY_NAME

    fill_text(SyscallEvent(0, 0, 0.0, BY_NAME["getpid"].nr, (0,) * 6, None).to_dict(),
              explain=explain)
    if explain:
        from minishell.trace.explain import MANUAL

        MANUAL.prefetch()  # the manual's lines for calls without words of our own


def optional_class(name: str, option: str) -> type:
    try:
        return getattr(importlib.import_module("minishell.trace.classroom"), name)
    except (ImportError, AttributeError):
        raise UsageError(f"{option} is not available yet in this minitrace") from None


def stepper_hook(args: argparse.Namespace,
                 session: Session) -> Callable[[SyscallEvent], None] | None:
    """--step/--slow: let the classroom Stepper pause the tracee at the entry of each
    call the trace will show (not at the start-up calls --quiet-startup hides)."""
    if not (args.step or args.slow):
        return None
    stepper_class = optional_class("Stepper", "--step/--slow")
    try:
        stepper = stepper_class(None, args.slow, args.step)
    except optional_class("StepperError", "--step") as e:
        raise UsageError(str(e)) from None

    def before_call(ev: SyscallEvent) -> None:
        d = ev.to_dict()
        if session.startup is not None and session.startup.would_hide(d):
            return
        fill_text(d, args.strsize, args.raw)
        stepper.before_call(ev.tid, d["name"], d["text"])

    return before_call


def selection(args: argparse.Namespace) -> frozenset[int] | None:
    if args.expr is None:
        return None
    from minishell.trace.syscalls import select

    spec = args.expr
    qualifier, eq, value = spec.partition("=")
    if eq and qualifier != "trace":
        raise UsageError(f"-e {qualifier}=...: only -e trace=... is supported")
    try:
        return select(value if eq else spec)
    except ValueError as e:
        raise UsageError(str(e)) from None


def exit_status(wait_status: int | None) -> int:
    """The tracee's exit status becomes minitrace's; a death by signal N becomes -N:
    minitrace then dies of the same signal (as strace does), so that a shell reports
    "Interrupted" or "Segmentation fault" as it would without the tracer."""
    if wait_status is None:
        return 0
    if wait_status & 0x7F == 0:
        return (wait_status >> 8) & 0xFF
    return -(wait_status & 0x7F)


def open_output(args: argparse.Namespace) -> IO[str]:
    if args.output is None:
        return sys.stderr
    try:
        return open(args.output, "w", encoding="utf-8", errors="backslashreplace",
                    buffering=1 << 16)
    except OSError as e:
        raise UsageError(f"{args.output}: {e.strerror}") from None


def start_idle_timer(tracer: eng.Tracer, session: Session) -> None:
    """Four times a second, if the tracer is idle in waitpid (every tracee running or
    blocked in a call): flush the output -- a file is written in large blocks, yet the
    trace of a program that hangs must be readable -- and, on a terminal, show the calls
    that are blocking, so that a program waiting for input does not look hung.
    Only while idle: writing from a signal handler in the middle of another write would
    be a reentrant call into the same buffer."""
    def on_tick(_signum: int, _frame: object) -> None:
        if tracer.waiting:
            session.idle(tracer.pending.values(), tracer._now())

    signal.signal(signal.SIGALRM, on_tick)
    signal.setitimer(signal.ITIMER_REAL, 0.25, 0.25)


def main(argv: list[str] | None = None) -> int:
    """The minitrace command.  Its exit status is the program's; if the program died of
    a signal, or the trace was interrupted by one (Ctrl-C, kill), minitrace dies of
    that signal, as strace does."""
    status = run_command(sys.argv[1:] if argv is None else argv)
    return die_of_signal(-status) if status < 0 else status


def die_of_signal(sig: int) -> int:
    """Tell our parent (a shell) the truth: killed by sig, not exited.  No core file:
    the program's crash is not the tracer's.  128 + sig if sig does not kill."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.stdout.flush()
    if sig not in (signal.SIGKILL, signal.SIGSTOP):  # (those two cannot be caught)
        signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {sig})
    os.kill(os.getpid(), sig)
    return 128 + sig


def run_command(argv: list[str]) -> int:
    """minitrace ARGV: the exit status, or -N for a death by signal N (see main)."""
    if argv[:1] == ["render"]:
        return render_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command and not args.pids:
        parser.print_usage(sys.stderr)
        return die("say which command to run, or -p PID", 2)
    if args.command and args.pids:
        return die("give a command or -p PID, not both", 2)
    out = None
    try:
        path = resolve(args.command[0]) if args.command else None
        selected = selection(args)
        if args.cpu is not None:
            try:
                os.sched_setaffinity(0, {args.cpu})
            except (OSError, ValueError) as e:
                raise UsageError(f"--cpu {args.cpu}: {e}") from None
        out = open_output(args)
        session = Session(args, out)
        return trace(args, path, selected, session, out)
    except UsageError as e:
        return die(str(e), e.status)
    except eng.TraceError as e:
        return die(str(e))
    except BrokenPipeError:
        # the reader of our output went away (| head): stop quietly, like strace
        sys.stderr = None  # type: ignore[assignment]
        return 141
    finally:
        if out is not None and out is not sys.stderr:
            try:
                out.close()
            except BrokenPipeError:
                pass


def stop_signals() -> None:
    """While cleaning up: no more flush timer, and a second Ctrl-C does not cut it short."""
    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    for sig in eng.INTERRUPTS:
        signal.signal(sig, signal.SIG_IGN)


def take_signals(tracer: eng.Tracer, interactive: bool) -> None:
    """strace's rule for its own signals.  Interactive (the trace goes to the terminal,
    or -p): Ctrl-C, kill -INT/-TERM/-HUP/-QUIT stop the trace.  Tracing a command into
    a file (-o): the tracer ignores them -- a Ctrl-C is for the program, which gets it
    from the terminal as it would untraced, and the trace shows what it did with it.
    The program itself starts with the dispositions we were given (Tracer.launch)."""
    if interactive:
        eng.install_signal_handlers(tracer)
    else:
        for sig in eng.INTERRUPTS:
            signal.signal(sig, signal.SIG_IGN)


def trace(args: argparse.Namespace, path: str | None, selected: frozenset[int] | None,
          session: Session, out: IO[str]) -> int:
    from minishell.trace.syscalls import BY_NR

    attach = bool(args.pids)
    seccomp = (selected is not None and not attach and not args.no_follow
               and not args.no_seccomp)
    before_exec = None
    if seccomp:
        from minishell.trace import seccomp as bpf
        program = bpf.build_filter(selected, BY_NR)

        def before_exec() -> None:
            bpf.install(program)

    tracer = eng.Tracer(session.emit, follow=not args.no_follow, selected=selected,
                        seccomp=seccomp, decoding=session.needs_dict, strsize=args.strsize,
                        record_fds=bool(args.fds or args.html or args.perfetto),
                        on_entry=stepper_hook(args, session),
                        emit_call=session.lean)
    take_signals(tracer, interactive=attach or args.output is None)
    start_idle_timer(tracer, session)
    interrupted = 0
    try:
        if attach:
            for pid in args.pids:
                tracer.attach(pid)
        else:
            tracer.launch(path, args.command, before_exec)
        tracer.run()
    except eng.Interrupted as e:
        stop_signals()
        interrupted = e.args[0]
        tracer.interrupt(interrupted)  # as strace: pass the signal on, then detach
    except BaseException as e:
        # The output went away (| head: strace would get SIGPIPE), or a bug: never
        # leave a tracee stopped.
        stop_signals()
        tracer.emit = lambda _ev: None  # the output may be what failed
        if isinstance(e, BrokenPipeError):
            tracer.interrupt(signal.SIGPIPE)
        elif attach:
            tracer.detach_all()
        else:
            tracer.kill_all()
        raise
    finally:
        stop_signals()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_DFL)
    session.finish()
    if interrupted:
        return -interrupted
    statuses = [s for s in tracer.roots.values() if s is not None]
    return exit_status(statuses[0] if statuses else None)
