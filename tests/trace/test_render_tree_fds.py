"""--tree and --fds: pure functions of the event list (hand-made corner cases + goldens)."""

import os

import pytest
from pictures_events import DATA, exec_, exit_, load, sc, spawn, start

from minishell.trace.render_fds import render_fds, replay
from minishell.trace.render_tree import build_tree, render_tree, walk

# Recorded with `minitrace --json --fds --explain -o X.jsonl -- /bin/sh -c '...'` on a pty.
TRACES = ["handmade_echo_pipe_cat.jsonl", "sh_echo_pipe_cat.jsonl", "sh_ls_sort_head.jsonl"]
GOLDEN = [(trace, render, render.__name__.split("_")[1]) for trace in TRACES
          for render in (render_tree, render_fds)]


@pytest.mark.parametrize(("trace", "render", "kind"), GOLDEN)
def test_golden(trace, render, kind):
    """Same events, same picture. MINITRACE_UPDATE_GOLDEN=1 rewrites the expected files."""
    got = render(load(trace))
    golden = DATA / trace.replace(".jsonl", f".{kind}.txt")
    if os.environ.get("MINITRACE_UPDATE_GOLDEN"):
        golden.write_text(got)
    assert got == golden.read_text()


def pipeline_events():
    return load("handmade_echo_pipe_cat.jsonl")


def test_tree_of_a_pipeline():
    text = render_tree(pipeline_events())
    lines = text.splitlines()
    assert lines[0].startswith("4100  ") and "minishell -c 'echo hi | cat'" in lines[0]
    assert lines[1].startswith("├─fork─ 4101  python ⇒ echo hi (/usr/bin/echo)")
    assert "[1 failed execve]" in lines[1]
    assert lines[2].startswith("└─fork─ 4102  python ⇒ cat (/usr/bin/cat)")
    assert all("exit 0" in line for line in lines[:3])
    assert lines[-1] == "3 processes, 0 threads, 3 execs"


def test_tree_threads_signals_and_lifetimes():
    events = [
        start(10, ["prog"]),
        exec_(10, 0.001, ["prog", "-x"]),
        spawn(10, 11, 0.010, kind="thread"),
        sc(10, 0.011, "getpid", tid=11),
        spawn(10, 12, 0.020),
        exec_(12, 0.021, ["sleep", "9"]),
        spawn(12, 13, 0.022),
        exit_(13, 0.023, code=3),
        exit_(12, 0.520, code=None, signal="SIGKILL"),
        exit_(11, 0.600),
        exit_(10, 1.0, code=1),
    ]
    roots = build_tree(events)
    assert [(p.pid, p.kind, d) for p, d in walk(roots)] == [
        (10, "root", 0), (11, "thread", 1), (12, "fork", 1), (13, "fork", 2)]
    lines = render_tree(events).splitlines()
    assert lines[0].split() == [
        "10", "prog", "-x", "(/usr/bin/prog)", "exit", "1", "1000.00", "ms"]
    assert "thread─ 11  (thread)" in lines[1]
    assert "fork─ 12  prog ⇒ sleep 9" in lines[2] and "killed by SIGKILL" in lines[2]
    assert lines[2].rstrip().endswith("500.00 ms")
    assert lines[3].startswith("   └─fork─ 13  sleep") and "exit 3" in lines[3]
    assert lines[-1] == "3 processes, 1 threads, 2 execs"


def test_tree_child_reported_before_its_spawn_event():
    """The child's first stop can reach the tracer before the parent's fork event."""
    events = [start(1, ["sh"]), sc(2, 0.002, "getpid"), exec_(2, 0.0025, ["ls"]),
              spawn(1, 2, 0.001), exit_(2, 0.003), exit_(1, 0.004)]
    tree = list(walk(build_tree(events)))
    assert [(p.pid, d) for p, d in tree] == [(1, 0), (2, 1)]
    assert tree[1][0].program == "ls" and tree[1][0].kind == "fork"


def test_tree_pid_used_again():
    events = [start(1, ["sh"]), spawn(1, 2, 0.1), exit_(2, 0.2), spawn(1, 2, 0.3),
              exec_(2, 0.35, ["ls"]), exit_(2, 0.4), exit_(1, 0.5)]
    tree = [(p.pid, p.program) for p, _ in walk(build_tree(events))]
    assert tree == [(1, "sh"), (2, "sh"), (2, "ls")]


def test_tree_colour_only_when_asked():
    events = pipeline_events()
    assert "\x1b[" not in render_tree(events)
    coloured = render_tree(events, color=True)
    assert "\x1b[" in coloured and "4101" in coloured


def test_fds_pipeline_ends_closed_in_the_right_processes():
    text = render_fds(pipeline_events())
    lines = text.splitlines()

    def line_of(pid, what):
        return next(i for i, line in enumerate(lines) if f" {pid} " in line and what in line)

    created = line_of(4100, "pipe2")
    assert "+3 pipe:[88001] read end (cloexec)" in lines[created]
    assert "+4 pipe:[88001] write end (cloexec)" in lines[created]
    fork = line_of(4101, "fork from python [4100]")
    assert "3=pipe:[88001]r  4=pipe:[88001]w" in lines[fork]
    assert "+1 pipe:[88001] write end (was /dev/pts/3 (tty))" in lines[line_of(4101, "dup2(4, 1)")]
    assert line_of(4101, "close(3)") < line_of(4101, "exec echo")
    assert "0=tty  1=pipe:[88001]w  2=tty" in lines[line_of(4101, "exec echo")]
    assert "+0 pipe:[88001] read end" in lines[line_of(4102, "dup2(3, 0)")]
    assert "0=pipe:[88001]r  1=tty  2=tty" in lines[line_of(4102, "exec cat")]
    assert "-4 pipe:[88001] write end" in lines[line_of(4100, "close(4)")]
    assert "warning" not in text
    # routine opens by the loader are folded into one line per stretch
    assert "… opened and closed 2 file(s): ld.so.cache, libc.so.6" in text


def leaky_reader_events(close_write_end: bool):
    """A parent makes a pipe, forks a reader that (maybe) forgets the write end."""
    ev = [start(1, ["leaky"]),
          sc(1, 0.001, "pipe2", [0x1000, 0], fds={"3": "pipe:[9]", "4": "pipe:[9]"},
             cap={"0": [3, 4]}),
          spawn(1, 2, 0.002)]
    if close_write_end:
        ev.append(sc(2, 0.003, "close", [4]))
    ev += [sc(2, 0.004, "read", [3, 0x2000, 100], ret=3),
           sc(1, 0.005, "close", [3]), sc(1, 0.006, "close", [4]), exit_(2, 0.007),
           exit_(1, 0.008)]
    return ev


def test_fds_warns_when_a_reader_holds_the_write_end():
    text = render_fds(leaky_reader_events(close_write_end=False))
    assert "2 warning(s):" in text
    assert ("leaky [2] inherited fd 4 (pipe:[9] write end) from leaky [1] and never used or "
            "closed it before exit") in text
    assert ("leaky [2] reads pipe:[9] (fd 3) but still holds its write end (fd 4): "
            "end-of-file will never come") in text
    assert "warning" not in render_fds(leaky_reader_events(close_write_end=True))


def test_fds_warns_about_an_inherited_fd_the_child_never_touches():
    # fd 9 was open before the trace began (a launcher's leak): not the program's bug
    events = [start(1, ["sh"], fds={"0": "/dev/pts/1", "1": "/dev/pts/1", "2": "/dev/pts/1",
                                    "9": "/dev/null"}),
              sc(1, 0.001, "openat", [0xFFFFFF9C, 0x10, 0], ret=5, fds={"5": "/tmp/log"}),
              spawn(1, 2, 0.002), exec_(2, 0.003, ["ls"]),
              spawn(1, 3, 0.004), sc(3, 0.005, "close", [5]), exec_(3, 0.006, ["wc"]),
              spawn(1, 4, 0.007), exit_(4, 0.008)]  # a file held until exit harms no one
    history = replay(events)
    assert [(w.pid, w.text) for w in history.warnings] == [
        (2, "sh [2] inherited fd 5 (/tmp/log) from sh [1] and never used or closed it before "
            "exec of ls: it leaks into the new program")]


def test_fds_cloexec_dup_and_fcntl_rules():
    events = [start(1, ["p"]),
              sc(1, 0.001, "openat", [0xFFFFFF9C, 0x10, 0o2000000], ret=3, fds={"3": "/a"}),
              sc(1, 0.002, "openat", [0xFFFFFF9C, 0x10, 0], ret=4, fds={"4": "/b"}),
              sc(1, 0.003, "fcntl", [4, 2, 1]),                      # F_SETFD FD_CLOEXEC
              sc(1, 0.004, "dup2", [3, 7], ret=7, fds={"7": "/a"}),  # dup2 clears cloexec
              sc(1, 0.005, "fcntl", [3, 1030, 10], ret=10, fds={"10": "/a"}),  # F_DUPFD_CLOEXEC
              sc(1, 0.006, "dup3", [4, 9, 0o2000000], ret=9, fds={"9": "/b"}),
              sc(1, 0.007, "close", [0], err="EBADF", ret=-1),
              exec_(1, 0.008, ["q"])]
    history = replay(events)
    final = history.changes[-1]
    assert final.what == "exec q"
    assert final.effects == ["O_CLOEXEC closes 3 4 9 10"]
    assert {fd: e.target for fd, e in final.table.items()} == {
        0: "/dev/pts/1", 1: "/dev/pts/1", 2: "/dev/pts/1", 7: "/a"}


def test_fds_table_at_each_syscall():
    events = pipeline_events()
    history = replay(events)
    index = next(i for i, ev in enumerate(events)
                 if ev["type"] == "syscall" and ev["pid"] == 4102 and ev["name"] == "read"
                 and ev["args"][0] == 0)
    table = history.table_at(index)
    assert table[0].label() == "pipe:[88001] read end" and 3 not in table and 4 not in table


def test_tree_keeps_one_line_per_process_whatever_the_argv():
    events = [start(1, ["python3", "-c", "import os\nos.fork()\tx"]), spawn(1, 2, 0.1),
              exit_(2, 0.2), exit_(1, 0.3)]
    lines = render_tree(events).splitlines()
    assert len(lines) == 3 and "import os\\nos.fork()\\tx" in lines[0]


def test_exec_from_a_thread_ends_the_other_threads():
    events = [start(1, ["prog"]), spawn(1, 2, 0.1, kind="thread"), spawn(1, 3, 0.2, kind="thread"),
              {**exec_(1, 0.5, ["ls"]), "old_tid": 3}, exit_(1, 0.9)]
    lines = render_tree(events).splitlines()
    assert "ls" in lines[0] and "exit 0" in lines[0]
    assert all("ended" in line and "still running" not in line for line in lines[1:3])


def test_fds_child_seen_before_its_fork_event_starts_from_the_parents_table():
    events = [start(1, ["sh"]),
              sc(1, 0.001, "pipe2", [0x10, 0], fds={"3": "pipe:[5]", "4": "pipe:[5]"},
                 cap={"0": [3, 4]}),
              sc(2, 0.003, "close", [4]),  # the child, before the tracer saw the fork
              spawn(1, 2, 0.002),
              sc(2, 0.004, "read", [3, 0, 10], ret=2)]
    history = replay(events)
    child = [c for c in history.changes if c.pid == 2]
    assert [c.what for c in child] == ["fork from sh [1]", "close(4)"]
    assert sorted(child[-1].table) == [0, 1, 2, 3] and history.warnings == []
