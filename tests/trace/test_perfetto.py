"""--perfetto: Chrome trace-event JSON checked against the format's rules."""

import json

import pytest
from pictures_events import check_trace_event_rules, exec_, exit_, load, sc, spawn, start

from minishell.trace.render_perfetto import write_perfetto


def written(tmp_path, events) -> dict:
    out = tmp_path / "trace.json"
    write_perfetto(events, str(out))
    return json.loads(out.read_text())


def test_pipeline_trace_follows_the_rules(tmp_path):
    source = load("handmade_echo_pipe_cat.jsonl")
    events = check_trace_event_rules(written(tmp_path, source))
    names = {ev["pid"]: ev["args"]["name"] for ev in events if ev["name"] == "process_name"}
    assert names == {4100: "python [4100]", 4101: "echo [4101]", 4102: "cat [4102]"}
    order = sorted((ev["args"]["sort_index"], ev["pid"]) for ev in events
                   if ev["name"] == "process_sort_index")
    assert [pid for _, pid in order] == [4100, 4101, 4102]
    # one X slice per syscall, in microseconds
    calls = [ev for ev in source if ev["type"] == "syscall"]
    xs = [ev for ev in events if ev["ph"] == "X"]
    assert len(xs) == len(calls)
    pipe2 = next(ev for ev in calls if ev["name"] == "pipe2")
    sl = next(ev for ev in xs if ev["name"] == "pipe2")
    assert sl["ts"] == round(pipe2["ts"] * 1e6, 3) and sl["dur"] == round(pipe2["dur"] * 1e6, 3)
    assert sl["args"]["call"] == pipe2["text"] and sl["args"]["explain"] == pipe2["explain"]
    # fork arrows from the parent's clone to each child, wait arrows back
    flow_pids = sorted((ev["name"], ev["ph"], ev["pid"]) for ev in events if ev["ph"] in "sf")
    assert flow_pids == [("fork", "f", 4101), ("fork", "f", 4102), ("fork", "s", 4100),
                         ("fork", "s", 4100), ("wait", "f", 4100), ("wait", "f", 4100),
                         ("wait", "s", 4101), ("wait", "s", 4102)]
    # counters: open fds and page faults per process
    fds = [ev for ev in events if ev["ph"] == "C" and ev["name"] == "open fds" and
           ev["pid"] == 4100]
    assert max(ev["args"]["fds"] for ev in fds) == 5
    faults = [ev for ev in events if ev["ph"] == "C" and ev["name"] == "page faults"]
    assert faults and all(set(ev["args"]) == {"minor", "major"} for ev in faults)


def test_overlapping_and_odd_input_is_clipped_to_nest(tmp_path):
    """A call that blocked and the next entry can overlap after rounding; flows stay valid."""
    events = [start(1, ["a"]),
              sc(1, 0.0010000, "clone", ret=2, dur=0.0005),
              spawn(1, 2, 0.0020),  # reported after the clone returned: moved inside it
              sc(1, 0.0014999, "wait4", [2], ret=2, dur=0.01),
              sc(2, 0.0030, "getpid", ret=2),
              exec_(2, 0.0031, ["b"]),
              exit_(2, 0.004, signal="SIGSEGV", code=None),
              sc(3, 0.001, "getpid", tid=3, ret=1),  # a thread of an untraced process
              exit_(1, 0.02)]
    out = check_trace_event_rules(written(tmp_path, events))
    assert {ev["name"] for ev in out if ev["ph"] == "i"} >= {"exec b", "killed by SIGSEGV"}


@pytest.mark.parametrize("trace", ["sh_echo_pipe_cat.jsonl", "sh_ls_sort_head.jsonl"])
def test_recorded_traces_follow_the_rules(tmp_path, trace):
    source = load(trace)
    events = check_trace_event_rules(written(tmp_path, source))
    pids = [ev["pid"] for ev in source if ev["type"] == "start"]
    order = sorted((ev["args"]["sort_index"], ev["pid"]) for ev in events
                   if ev["name"] == "process_sort_index")
    assert order[0][1] == pids[0]  # the root's track comes first
    meta = {ev["pid"]: ev["args"]["name"] for ev in events if ev["name"] == "process_name"}
    assert meta[pids[0]] == f"sh [{pids[0]}]"
    children = {ev["child"] for ev in source if ev["type"] == "spawn"}
    assert {pid for pid in meta} == children | {pids[0]}
    forks = [ev for ev in events if ev["ph"] == "s" and ev["name"] == "fork"]
    assert len(forks) == len(children)
    assert sum(ev["ph"] == "X" for ev in events) == sum(ev["type"] == "syscall" for ev in source)
    assert any(ev["ph"] == "C" and ev["name"] == "page faults" for ev in events)
