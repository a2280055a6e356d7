"""The trace as Chrome trace-event JSON, for Perfetto (ui.perfetto.dev) and speedscope.

Each process becomes a track named `prog [pid]`, placed in process-tree order
(depth first, with `process_sort_index`, since the format has no parent field);
each syscall a slice as long as the call took; fork, exec and wait become arrows
("flows") from the parent's clone slice to the child's first slice, and from the
child's last slice to the parent's wait. Counter tracks show, per process, how
many fds are open and how many page faults it has taken (minor: the page was in
memory; major: the disk had to be read). Times are microseconds.
"""

from __future__ import annotations

import json
from collections import defaultdict

from minishell.trace.render_fds import replay
from minishell.trace.render_tree import Proc, build_tree, walk

SPAWN_CALLS = {"clone", "clone3", "fork", "vfork"}
WAIT_CALLS = {"wait4", "waitid", "waitpid"}


def _us(seconds: float) -> float:
    return round(seconds * 1_000_000, 3)


def _slices(events: list[dict]) -> dict[int, list[dict]]:
    """Per thread, one X slice per syscall, clipped so slices on a thread never overlap."""
    by_tid: dict[int, list[dict]] = defaultdict(list)
    for index, ev in enumerate(events):
        if ev.get("type") != "syscall":
            continue
        args = {"call": ev.get("text") or ev["name"], "result": ev.get("result", ev.get("ret")),
                "explain": ev.get("explain", "")}
        if ev.get("err"):
            args["error"] = ev["err"]
        by_tid[ev.get("tid", ev["pid"])].append({
            "name": ev["name"], "cat": ",".join(ev.get("classes") or ["other"]), "ph": "X",
            "ts": _us(ev["ts"]), "dur": _us(ev.get("dur") or 0.0), "pid": ev["pid"],
            "tid": ev.get("tid", ev["pid"]), "args": args, "_index": index})
    for slices in by_tid.values():
        slices.sort(key=lambda s: s["ts"])
        for here, after in zip(slices, slices[1:], strict=False):
            # A blocked call's exit and the next entry can round to the same µs.
            here["dur"] = max(0.0, min(here["dur"], round(after["ts"] - here["ts"], 3)))
    return by_tid


def _inside(slice_: dict, ts: float) -> float:
    """`ts` moved inside the slice, as a flow event must lie within a slice of its thread."""
    return min(max(ts, slice_["ts"]), slice_["ts"] + slice_["dur"])


def _flows(events: list[dict], by_tid: dict[int, list[dict]]) -> list[dict]:
    flows: list[dict] = []
    next_id = 1

    def arrow(name: str, start: dict, start_ts: float, end: dict, end_ts: float) -> None:
        nonlocal next_id
        common = {"name": name, "cat": "process", "id": next_id}
        flows.append({**common, "ph": "s", "ts": _inside(start, start_ts),
                      "pid": start["pid"], "tid": start["tid"]})
        flows.append({**common, "ph": "f", "bp": "e", "ts": _inside(end, end_ts),
                      "pid": end["pid"], "tid": end["tid"]})
        next_id += 1

    spawning: dict[int, list[dict]] = defaultdict(list)  # pid -> its fork/clone slices
    for slices in by_tid.values():
        spawning[slices[0]["pid"]].extend(s for s in slices if s["name"] in SPAWN_CALLS)

    def spawn_slice(pid: int, ts: float) -> dict | None:
        """The fork/clone call (of any thread of `pid`) running at `ts`, or the last before."""
        calls = [s for s in spawning.get(pid, ()) if s["ts"] <= ts + 1]
        inside = [s for s in calls if ts <= s["ts"] + s["dur"] + 1]
        return max(inside or calls, key=lambda s: s["ts"], default=None)

    slice_of = {s["_index"]: s for slices in by_tid.values() for s in slices}
    for index, ev in enumerate(events):
        kind = ev.get("type")
        if kind == "spawn" and ev.get("kind") != "thread":
            parent = spawn_slice(ev["pid"], _us(ev["ts"]))
            # the child's first call after its birth (a pid can be reused within a trace)
            first = next((s for s in by_tid.get(ev["child"], ()) if parent and
                          s["ts"] >= _inside(parent, _us(ev["ts"]))), None)
            if parent and first:
                arrow(ev.get("kind", "fork"), parent, _us(ev["ts"]), first, first["ts"])
        elif kind == "syscall" and ev["name"] in WAIT_CALLS and isinstance(ev.get("ret"), int):
            waiter = slice_of.get(index)
            end = waiter["ts"] + waiter["dur"] if waiter else 0.0
            # the reaped child's last call before the wait returned
            last = next((s for s in reversed(by_tid.get(ev["ret"], ()))
                         if s["ts"] + s["dur"] <= end), None)
            if waiter and last:
                arrow("wait", last, last["ts"] + last["dur"], waiter, end)
    return flows


def _metadata(tree: list[tuple[Proc, int]]) -> list[dict]:
    """Track names and order: `prog [pid]`, depth first, as the process tree."""
    out: list[dict] = []
    for order, (proc, depth) in enumerate(tree):
        if proc.is_thread:
            out.append({"ph": "M", "pid": proc.parent, "tid": proc.pid, "name": "thread_name",
                        "args": {"name": f"thread {proc.pid}"}})
            continue
        meta = {"ph": "M", "pid": proc.pid, "tid": proc.pid}
        out.append({**meta, "name": "process_name",
                    "args": {"name": f"{proc.program} [{proc.pid}]"}})
        out.append({**meta, "name": "process_sort_index", "args": {"sort_index": order}})
        out.append({**meta, "name": "thread_name", "args": {"name": proc.program}})
        if proc.parent is not None:
            out.append({**meta, "name": "process_labels",
                        "args": {"labels": f"child of {proc.parent}, depth {depth}"}})
    return out


def _instant_name(ev: dict) -> str:
    kind = ev["type"]
    if kind == "exec":
        return "exec " + " ".join(ev.get("argv") or [ev.get("path", "")])
    if kind == "exit":
        if ev.get("signal"):
            return f"killed by {ev['signal']}"
        return f"exit {ev['code']}" if ev.get("code") is not None else "ended"
    if kind == "stop":
        return f"stopped by {ev.get('sig')}"
    if kind == "cont":
        return "continued"
    return ev.get("sig", "signal")


def trace_events(events: list[dict]) -> list[dict]:
    """The `traceEvents` list: metadata, slices, instants, flows and counters."""
    tree = list(walk(build_tree(events)))
    out = _metadata(tree)
    process_of = {p.pid: p.parent for p, _ in tree if p.is_thread}  # thread id -> its process

    by_tid = _slices(events)
    named = {ev["pid"] for ev in out if ev["name"] == "process_name"}
    for pid in sorted({s[0]["pid"] for s in by_tid.values()} - named):
        # a process the tree could not place (say, its pid was reused as a thread id)
        meta = {"ph": "M", "pid": pid, "tid": pid}
        out.append({**meta, "name": "process_name", "args": {"name": f"? [{pid}]"}})
        out.append({**meta, "name": "process_sort_index", "args": {"sort_index": len(out)}})
    for slices in by_tid.values():
        for s in slices:
            out.append({k: v for k, v in s.items() if k != "_index"})
    out.extend(_flows(events, by_tid))

    for ev in events:
        kind = ev.get("type")
        if kind in ("exec", "signal", "exit", "stop", "cont"):
            tid = ev.get("tid", ev["pid"])  # a thread's exit event carries the thread id
            out.append({"name": _instant_name(ev)[:80], "cat": kind, "ph": "i", "s": "t",
                        "ts": _us(ev["ts"]), "pid": process_of.get(ev["pid"], ev["pid"]),
                        "tid": tid})
        elif kind == "syscall" and ev.get("flt"):
            minflt, majflt = ev["flt"][:2]
            tid = ev.get("tid", ev["pid"])
            name = "page faults" if tid == ev["pid"] else f"page faults (thread {tid})"
            out.append({"name": name, "ph": "C", "ts": _us(ev["ts"] + (ev.get("dur") or 0)),
                        "pid": ev["pid"], "args": {"minor": minflt, "major": majflt}})

    for change in replay(events).changes:
        out.append({"name": "open fds", "ph": "C", "ts": _us(change.ts), "pid": change.pid,
                    "args": {"fds": len(change.table)}})
    return out


def write_perfetto(events: list[dict], path: str) -> None:
    """Write the trace as a Chrome trace-event JSON file (see the module docstring)."""
    document = {"traceEvents": trace_events(events), "displayTimeUnit": "ms",
                "otherData": {"generator": "minitrace"}}
    with open(path, "w") as f:
        json.dump(document, f, separators=(",", ":"))
        f.write("\n")
