"""Hand-made trace events (the schema of docs/trace-events.md) and the trace-event rules.

The renderer tests use them for the corner cases a recorded trace rarely shows
(a thread, a kill, a leak); the recorded traces in data/ cover real programs.
"""

import json
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data"

CLASSES = {
    "read": ["desc"], "write": ["desc"], "close": ["desc"], "dup2": ["desc"],
    "dup3": ["desc"], "fcntl": ["desc"], "pipe2": ["desc"], "openat": ["file", "desc"],
    "socket": ["network"], "clone": ["process"], "execve": ["file", "process"],
    "wait4": ["process"], "exit_group": ["process"], "mmap": ["memory", "desc"],
    "brk": ["memory"], "getpid": [],
}


def load(name: str) -> list[dict]:
    with open(DATA / name) as f:
        return [json.loads(line) for line in f if line.strip()]


def start(pid, argv, fds=None, ts=0.0):
    return {"v": 1, "type": "start", "pid": pid, "ts": ts, "argv": argv, "cwd": "/tmp",
            "fds": fds if fds is not None else {"0": "/dev/pts/1", "1": "/dev/pts/1",
                                                 "2": "/dev/pts/1"}, "attached": False}


def sc(pid, ts, name, args=(), ret=0, err=None, fds=None, cap=None, dur=0.00001, tid=None,
       flt=None):
    ev = {"v": 1, "type": "syscall", "pid": pid, "tid": tid or pid, "ts": ts, "dur": dur,
          "nr": 0, "name": name, "args": (list(args) + [0] * 6)[:6], "ret": ret, "err": err,
          "classes": CLASSES.get(name, []), "cap": cap or {}, "fds": fds or {},
          "text": f"{name}(...)", "result": str(ret), "explain": f"explain {name}"}
    if flt is not None:
        ev["flt"] = flt
    return ev


def spawn(pid, child, ts, kind="fork"):
    return {"v": 1, "type": "spawn", "pid": pid, "child": child, "kind": kind, "ts": ts}


def exec_(pid, ts, argv, path=None):
    return {"v": 1, "type": "exec", "pid": pid, "ts": ts, "path": path or "/usr/bin/" + argv[0],
            "argv": argv, "envc": 3}


def exit_(pid, ts, code=0, signal=None):
    return {"v": 1, "type": "exit", "pid": pid, "ts": ts, "code": code, "signal": signal,
            "core": False}


def check_trace_event_rules(doc: dict) -> list[dict]:
    """The rules Perfetto and speedscope rely on; returns the events for further checks."""
    events = doc["traceEvents"]
    assert isinstance(events, list) and events
    slices = defaultdict(list)
    for ev in events:
        assert ev["ph"] in "XMsfiC", ev
        assert isinstance(ev["pid"], int)
        if ev["ph"] != "M":
            assert isinstance(ev["ts"], int | float) and ev["ts"] >= 0
        if ev["ph"] == "X":
            assert ev["dur"] >= 0 and isinstance(ev["name"], str)
            slices[ev["pid"], ev["tid"]].append((ev["ts"], ev["ts"] + ev["dur"]))
    # Slices on one thread nest strictly: sorted, each starts after the previous ends
    # or lies entirely inside it.
    for thread, spans in slices.items():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for begin, end in spans:
            while stack and stack[-1][1] <= begin:
                stack.pop()
            if stack:
                assert end <= stack[-1][1], f"slices overlap on {thread}: {stack[-1]} {begin, end}"
            stack.append((begin, end))
    # Each flow has a start and an end, and each lies inside a slice of its thread.
    flows = defaultdict(dict)
    for ev in events:
        if ev["ph"] in "sf":
            flows[ev["id"]][ev["ph"]] = ev
            assert any(b <= ev["ts"] <= e for b, e in slices[ev["pid"], ev["tid"]]), ev
            if ev["ph"] == "f":
                assert ev.get("bp") == "e"
    assert all(set(pair) == {"s", "f"} for pair in flows.values())
    for ev_pair in flows.values():
        assert ev_pair["s"]["ts"] <= ev_pair["f"]["ts"]
    # Every process with slices has a name and a place in the order.
    meta = {(ev["pid"], ev["name"]) for ev in events if ev["ph"] == "M"}
    for pid, _tid in slices:
        assert (pid, "process_name") in meta and (pid, "process_sort_index") in meta
    return events
