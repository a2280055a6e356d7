"""The trace as one web page: a timeline to walk a class through.

One lane per process, in the order of the process tree (children under their
parent); on each lane one mark per system call, as wide as the time the call
spent in the kernel, coloured by its class (file, process, memory...); arrows
from a parent's fork to its child and from a child's exit to the parent's wait.
Hover a mark for the call; click it (or use ← →) for its explanation and the
process's fd table at that instant. Everything is inlined — no network, no CDN —
so the file opens the same in a lecture hall without Wi-Fi.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from importlib import resources

from minishell.trace.render_fds import replay
from minishell.trace.render_tree import Proc, build_tree, command_line, trace_end, walk

# A call has several classes (openat is "file" and "desc"); its colour is the first of these.
CLASS_ORDER = ("process", "signal", "network", "ipc", "memory", "file", "desc", "other")
HINT = ("Hover a mark to see the call; click it (or press ← →) to see what it means and the "
        "process's file descriptors at that moment. Ctrl+wheel or + − zooms; click a process "
        "name to zoom to its life.")


def main_class(classes: list[str]) -> str:
    return next((c for c in CLASS_ORDER if c in classes), "other")


def _lanes(order: list[tuple[Proc, int]], end: float) -> list[dict]:
    """One lane per process (and thread), in tree order."""
    lanes = []
    for proc, depth in order:
        image = proc.image
        lanes.append({
            "pid": proc.pid, "depth": depth, "thread": proc.is_thread,
            "label": f"thread of {proc.parent}" if proc.is_thread else proc.program,
            "command": command_line(image.argv, 200) if image else "",
            "start": proc.start, "end": proc.end if proc.end is not None else end,
            "ended": proc.how_it_ended(),
            "bad": proc.signal is not None or proc.code not in (0, None)})
    return lanes


def _calls(events: list[dict], lane: Callable[[dict], int]) -> tuple[list, list]:
    """One mark per syscall, in time order, and the fd tables the marks point into
    (each distinct table once: a process's table changes far less often than it calls)."""
    history = replay(events)
    tables: list[list] = []
    table_index: dict[int, int] = {}  # change index -> index in `tables`
    calls = []
    for index, ev in enumerate(events):
        if ev.get("type") != "syscall":
            continue
        change = history.change_at.get(index, -1)
        if change not in table_index:
            table_index[change] = len(tables)
            table = history.changes[change].table if change >= 0 else {}
            tables.append([[fd, entry.label()] for fd, entry in table.items()])
        made = history.made_by.get(index)
        calls.append([lane(ev), ev["ts"], ev.get("dur") or 0.0, ev["name"],
                      main_class(ev.get("classes") or []), ev.get("text") or ev["name"],
                      ev.get("result", str(ev.get("ret"))), ev.get("explain", ""),
                      1 if ev.get("err") else 0, table_index[change],
                      history.changes[made].effects if made is not None else []])
    calls.sort(key=lambda c: c[1])
    return calls, tables


def _arrows_and_marks(events: list[dict], lanes: list[dict], lane_of: dict[int, int],
                      lane: Callable[[dict], int]) -> tuple[list, list]:
    """Fork arrows (parent to child), wait arrows (child's end to the parent's wait),
    and the labels on a lane: exec, signals, job-control stops."""
    arrows, marks = [], []
    for ev in events:
        kind = ev.get("type")
        if kind == "spawn" and ev["child"] in lane_of and ev.get("kind") != "thread":
            child = lane_of[ev["child"]]
            arrows.append(["fork", lane(ev), ev["ts"], child, max(ev["ts"], lanes[child]["start"])])
        elif (kind == "syscall" and ev["name"] in ("wait4", "waitid") and not ev.get("err")
              and ev.get("ret") in lane_of):
            returned = ev["ts"] + (ev.get("dur") or 0.0)
            child = lane_of[ev["ret"]]
            arrows.append(["wait", child, min(lanes[child]["end"], returned), lane(ev), returned])
        elif kind == "exec" and ev["pid"] in lane_of:
            program = command_line(ev.get("argv") or [ev.get("path", "?")], 40)
            marks.append([lane_of[ev["pid"]], ev["ts"], "exec", f"exec {program}"])
        elif kind == "signal" and ev["pid"] in lane_of:
            marks.append([lane_of[ev["pid"]], ev["ts"], "signal", ev.get("sig", "signal")])
        elif kind in ("stop", "cont") and ev["pid"] in lane_of:
            text = f"stopped by {ev.get('sig')}" if kind == "stop" else "continued"
            marks.append([lane_of[ev["pid"]], ev["ts"], "signal", text])
    return arrows, marks


def page_data(events: list[dict]) -> dict:
    """What the page's script draws, as plain JSON (see html/timeline.js)."""
    order = list(walk(build_tree(events)))
    end = trace_end(events)
    lanes = _lanes(order, end)
    lane_of = {proc.pid: i for i, (proc, _) in enumerate(order)}

    def lane(ev: dict) -> int:
        return lane_of.get(ev.get("tid", ev["pid"]), lane_of.get(ev["pid"], 0))

    calls, tables = _calls(events, lane)
    arrows, marks = _arrows_and_marks(events, lanes, lane_of, lane)
    procs = sum(not p.is_thread for p, _ in order)
    return {
        "title": lanes[0]["command"] if lanes else "empty trace", "end": end, "hint": HINT,
        "summary": f"{procs} processes, {len(calls)} system calls, {end * 1000:.2f} ms",
        "classes": [c for c in CLASS_ORDER if c in {call[4] for call in calls}],
        "lanes": lanes, "calls": calls, "tables": tables, "arrows": arrows, "events": marks,
    }


def _asset(name: str) -> str:
    return resources.files("minishell.trace").joinpath("html", name).read_text("utf-8")


def _script_json(data: dict) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the trace holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minitrace: {title}</title>
<style>
{css}</style>
</head>
<body>
<header>
<h1 id="title"></h1>
<div id="summary"></div>
<div id="controls">
<span id="classes"></span>
<span><button id="zoom-out" title="zoom out (-)">−</button>
<button id="zoom-in" title="zoom in (+)">+</button>
<button id="zoom-fit" title="whole trace">fit</button>
<button id="zoom-children" title="from the first child born to the last one ended">children
</button></span>
<label title="draw each stretch with no system call running at a fixed small width">
<input type="checkbox" id="squeeze" checked> squeeze idle time</label>
<span class="hint">arrows: fork (solid), wait (dashed)</span>
</div>
</header>
<div id="board">
<div id="labels"></div>
<div id="scroller"><div id="axis" class="axis"></div><div id="canvas"><div id="bands"></div>
<svg id="arrows" xmlns="http://www.w3.org/2000/svg"><defs>
<marker id="head-fork" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5"
 orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#D55E00"/></marker>
<marker id="head-wait" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5"
 orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#0072B2"/></marker>
</defs></svg></div></div>
</div>
<section id="details"></section>
<div id="tip"></div>
<script type="application/json" id="trace-data">{data}</script>
<script>
{js}</script>
</body>
</html>
"""


def render_page(events: list[dict]) -> str:
    data = page_data(events)
    return PAGE.format(title=html.escape(data["title"]), css=_asset("timeline.css"),
                       js=_asset("timeline.js"), data=_script_json(data))


def write_html(events: list[dict], path: str) -> None:
    """Write the self-contained timeline page (see the module docstring)."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(render_page(events))
