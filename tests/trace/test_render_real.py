"""The pictures of real programs traced by the real minitrace (ptrace, real processes)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from pictures_events import DATA, check_trace_event_rules, sc, start

from minishell.trace.render_fds import render_fds, replay
from minishell.trace.render_perfetto import trace_events
from minishell.trace.render_tree import build_tree, render_tree, walk

MINITRACE = Path(sys.executable).parent / "minitrace"


def record(tmp_path, *command: str) -> list[dict]:
    """`minitrace --json --fds -o TRACE -- command`, then the events it wrote."""
    trace = tmp_path / "trace.jsonl"
    done = subprocess.run([str(MINITRACE), "--json", "--fds", "-o", str(trace), "--", *command],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert trace.exists(), done.stderr
    # the file holds events only (the pictures went to stderr), so render can read it back
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    assert events and events[0]["type"] == "start", done.stderr
    assert "processes" in done.stderr or "change" in done.stderr
    return events


def test_fds_of_a_minishell_pipeline(tmp_path):
    """`echo hi | cat` in minishell: each process closes the pipe ends it does not use."""
    events = record(tmp_path, sys.executable, "-m", "minishell", "-c", "echo hi | cat")
    roots = build_tree(events)
    shell = roots[0]
    stages = [p for p in shell.children if p.kind == "fork" and not p.is_thread]
    cat = next(p for p in stages if p.images and p.images[-1].name == "cat")
    echo = next(p for p in stages if p is not cat and p.start < cat.start)
    history = replay(events)
    pipes = [c for c in history.changes if c.pid == shell.pid and c.what in ("pipe", "pipe2")
             and "read end" in " ".join(c.effects) and "write end" in " ".join(c.effects)]
    assert pipes, render_fds(events)
    fds = [int(e.split()[0][1:]) for e in pipes[0].effects]
    read_fd, write_fd = fds[0], fds[1]
    target = pipes[0].table[read_fd].target
    assert target.startswith("pipe:[")

    def changes(pid):
        return [c for c in history.changes if c.pid == pid]

    # the writer: stdout becomes the write end, then both original ends are closed
    writer = changes(echo.pid)
    assert any(c.what == f"dup2({write_fd}, 1)" for c in writer), render_fds(events)
    closed = {c.what for c in writer}
    assert {f"close({read_fd})", f"close({write_fd})"} <= closed
    # the reader: stdin becomes the read end, both ends closed before exec of cat
    reader = changes(cat.pid)
    whats = [c.what for c in reader]
    assert f"dup2({read_fd}, 0)" in whats
    exec_at = whats.index("exec cat")
    assert f"close({read_fd})" in whats[:exec_at]
    if write_fd in reader[0].table:  # inherited only if the shell forked cat before closing it
        assert f"close({write_fd})" in whats[:exec_at]
    table = reader[exec_at].table
    assert table[0].target == target and table[0].end == "read"
    assert not [fd for fd, e in table.items() if e.target == target and e.end == "write"]
    # the shell itself keeps no end of that pipe while it waits for the children
    waits = [i for i, ev in enumerate(events) if ev["type"] == "syscall"
             and ev["pid"] == shell.pid and ev["name"] in ("wait4", "waitid")]
    assert waits
    assert not [fd for fd, e in history.table_at(waits[0]).items() if e.target == target]
    assert "will never come" not in render_fds(events)
    text = render_tree(events)
    assert f"{cat.pid}" in text and "⇒ cat" in text


def test_leaky_reader_is_warned_about(tmp_path, cc):
    program = cc("leaky_pipe", (DATA / "leaky_pipe.c").read_text())
    events = record(tmp_path, program)
    procs = [p for p, _ in walk(build_tree(events))]
    assert len(procs) == 3
    reader = procs[2]
    assert reader.signal == "SIGALRM"
    text = render_fds(events)
    assert f"leaky_pipe [{reader.pid}] reads pipe:[" in text, text
    assert "but still holds its write end" in text and "will never come" in text
    assert "killed by SIGALRM" in render_tree(events)


def test_render_command_draws_a_saved_trace(tmp_path):
    """`minitrace render TRACE.jsonl --tree --fds --html F --perfetto F` on a saved trace."""
    source = DATA / "handmade_echo_pipe_cat.jsonl"
    page, perfetto = tmp_path / "t.html", tmp_path / "t.json"
    done = subprocess.run([str(MINITRACE), "render", str(source), "--tree", "--fds",
                           "--html", str(page), "--perfetto", str(perfetto)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in source.read_text().splitlines()]
    assert render_tree(events) in done.stdout and render_fds(events) in done.stdout
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert json.loads(perfetto.read_text())["traceEvents"]


def test_close_on_exec_rules_on_a_real_program(tmp_path, cc):
    program = cc("cloexec_tour", (DATA / "cloexec_tour.c").read_text())
    trace = tmp_path / "trace.jsonl"
    done = subprocess.run([str(MINITRACE), "--json", "--fds", "-o", str(trace), "--", program],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("fds "))
    s0, s1, f, g, h, k, p0, p1 = map(int, line.split()[1:])
    events = [json.loads(x) for x in trace.read_text().splitlines()]
    history = replay(events)
    parent = events[0]["pid"]
    child = next(ev["child"] for ev in events if ev["type"] == "spawn")
    fork = next(c for c in history.changes if c.pid == child)
    assert {s0, s1, f, g, h, k, p0, p1} <= set(fork.table)
    assert [fd for fd in (s0, s1, f, g, h, k, p0, p1) if fork.table[fd].cloexec] == [
        s0, s1, g, h, p0, p1]
    assert fork.table[p0].end == "read" and fork.table[p1].end == "write"
    assert fork.table[s0].target.startswith("socket:[")
    assert fork.table[k].target == fork.table[s0].target and h >= 10
    exec_change = next(c for c in history.changes if c.pid == child and c.what == "exec echo")
    dropped = " ".join(map(str, sorted([s0, s1, g, h, p0, p1])))
    assert exec_change.effects == [f"O_CLOEXEC closes {dropped}"]
    after = exec_change.table
    assert f in after and k in after and after[1].target == fork.table[p1].target
    # the inherited, never-used fds leak into echo: the warning names them
    leaks = [w.text for w in history.warnings if w.pid == child]
    assert any(f"inherited fd {f} (/etc/hostname)" in w for w in leaks), leaks
    assert any(f"inherited fd {k} (socket:[" in w for w in leaks), leaks
    # close_range(3, ~0) empties the parent's table above stderr
    last = [c for c in history.changes if c.pid == parent and c.what == "close_range"][-1]
    assert max(last.table) <= 2


def test_live_pictures_from_the_command_line(tmp_path):
    """`minitrace --tree --fds --html F --perfetto F -- CMD`: pictures after the run."""
    page, perfetto = tmp_path / "t.html", tmp_path / "t.json"
    done = subprocess.run([str(MINITRACE), "--tree", "--fds", "--html", str(page),
                           "--perfetto", str(perfetto), "--", "/bin/sh", "-c", "echo hi | cat"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hi\n"
    assert "sh -c 'echo hi | cat'" in done.stderr and "⇒ cat (/usr/bin/cat)" in done.stderr
    assert "dup2(" in done.stderr and "exec cat" in done.stderr
    assert page.read_text().count('"pid":') >= 3
    check_trace_event_rules(json.loads(perfetto.read_text()))


THREADS_C = r"""
#include <pthread.h>
#include <unistd.h>
static void *work(void *arg) { (void)arg; write(1, "t\n", 2); return 0; }
int main(void) {
    pthread_t t[2];
    for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, work, 0);
    for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
    if (fork() == 0) _exit(3);
    return 0;
}
"""


def test_tree_of_a_threaded_program(tmp_path, cc):
    events = record(tmp_path, cc("threads", THREADS_C))
    lines = render_tree(events).splitlines()
    root = events[0]["pid"]
    assert lines[0].startswith(f"{root}  threads") and "exit 0" in lines[0]
    threads = [line for line in lines if "thread─" in line]
    assert len(threads) == 2 and all("(thread)" in line and "exit 0" in line for line in threads)
    assert any("fork─" in line and "exit 3" in line for line in lines)
    assert lines[-1] == "2 processes, 2 threads, 1 execs"
    # in Perfetto, the threads are tracks of their process, not processes of their own
    perfetto = trace_events(events)
    check_trace_event_rules({"traceEvents": perfetto})
    tids = {int(line.split("thread─ ")[1].split()[0]) for line in threads}
    named = {ev["pid"] for ev in perfetto if ev["name"] == "process_name"}
    assert not tids & named
    thread_tracks = {(ev["pid"], ev["tid"]) for ev in perfetto if ev.get("ph") in "Xi"
                     and ev["tid"] in tids}
    assert thread_tracks and all(pid == root for pid, _ in thread_tracks)


def test_render_into_a_closed_pipe_stops_quietly(tmp_path):
    """`minitrace render TRACE --fds | head -1`: no traceback when the reader goes away."""
    events = [start(1, ["many"])]
    for i in range(3000):  # far more picture than a pipe buffer holds
        events += [sc(1, i * 1e-4, "openat", [0, 0, 0], ret=3, fds={"3": f"/tmp/f{i}"}),
                   sc(1, i * 1e-4 + 5e-5, "dup", [3], ret=4, fds={"4": f"/tmp/f{i}"})]
    trace = tmp_path / "many.jsonl"
    trace.write_text("".join(json.dumps(ev) + "\n" for ev in events))
    reader = subprocess.Popen([str(MINITRACE), "render", str(trace), "--fds"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(timeout=60) == 141
    assert b"Traceback" not in reader.stderr.read()
    reader.stderr.close()
