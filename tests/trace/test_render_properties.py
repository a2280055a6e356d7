"""Any event list of the schema, however odd (missing exits, pids reused, blocked calls,
calls that never returned), gives pictures without a traceback, and Perfetto's rules hold."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pictures_events import check_trace_event_rules, exec_, exit_, sc, spawn, start

from minishell.trace.classroom import StartupFilter
from minishell.trace.render_fds import render_fds
from minishell.trace.render_html import page_data
from minishell.trace.render_perfetto import trace_events
from minishell.trace.render_tree import render_tree

PIDS = st.integers(1, 6)
NAMES = st.sampled_from(["read", "write", "close", "dup2", "dup3", "fcntl", "pipe2", "openat",
                         "clone", "execve", "wait4", "mmap", "exit_group", "close_range",
                         "socket", "getpid"])
REGISTER = st.one_of(st.integers(0, 12), st.just(0xFFFFFFFFFFFFFF9C), st.integers(0, 2**64 - 1))


@st.composite
def event(draw, ts):
    kind = draw(st.sampled_from(["syscall"] * 6 + ["spawn", "exec", "exit", "signal"]))
    pid = draw(PIDS)
    if kind == "syscall":
        name = draw(NAMES)
        ret = draw(st.one_of(st.none(), st.integers(-1, 12)))
        fds = draw(st.dictionaries(st.integers(0, 12).map(str),
                                   st.sampled_from(["pipe:[7]", "/etc/passwd", "socket:[9]"]),
                                   max_size=2))
        cap = draw(st.sampled_from([{}, {"0": [3, 4]}, {"1": "/lib/libc.so.6"}, {"0": "x"}]))
        return sc(pid, ts, name, draw(st.lists(REGISTER, min_size=6, max_size=6)), ret=ret,
                  err=draw(st.sampled_from([None, "EBADF", "ENOENT"])) if ret == -1 else None,
                  fds=fds, cap=cap, dur=draw(st.one_of(st.none(), st.floats(0, 0.01))),
                  tid=draw(st.sampled_from([pid, pid, pid * 100 + 1])),
                  flt=draw(st.one_of(st.none(), st.just([10, 1]))))
    if kind == "spawn":
        return spawn(pid, draw(PIDS.map(lambda p: p + 10)),
                     ts, kind=draw(st.sampled_from(["fork", "vfork", "thread", "clone"])))
    if kind == "exec":
        return exec_(pid, ts, draw(st.lists(st.text(max_size=5), max_size=3)) or ["x"])
    if kind == "exit":
        return exit_(pid, ts, code=draw(st.one_of(st.none(), st.integers(0, 255))),
                     signal=draw(st.sampled_from([None, "SIGKILL"])))
    return {"v": 1, "type": "signal", "pid": pid, "ts": ts, "sig": "SIGCHLD", "from": None}


@st.composite
def traces(draw):
    n = draw(st.integers(0, 40))
    events = [start(1, ["sh", "-c", "x"])] if draw(st.booleans()) else []
    for i in range(n):
        events.append(draw(event(round(0.001 * i, 6))))
    return events


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(traces())
def test_every_picture_survives_any_trace(events):
    assert render_tree(events).endswith("execs\n")
    render_fds(events, color=True)
    check_trace_event_rules({"traceEvents": trace_events(events) or [
        {"ph": "M", "pid": 0, "tid": 0, "name": "process_name", "args": {"name": "empty"}}]})
    data = page_data(events)
    json.dumps(data)
    assert len(data["calls"]) == sum(ev["type"] == "syscall" for ev in events)
    startup = StartupFilter()
    kept = [ev for ev in events if startup.keep(ev)]
    assert len(kept) + startup.hidden == len(events)
