"""minitrace's command line: the --json schema, -e trace= with and without seccomp,
strace's output options, -c --per-process, --no-follow, --cpu, render."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from test_differential import ENV, FORK_PIPE_EXEC
from tracekit import MINITRACE, minitrace_summary, run_minitrace, strace_summary

from minishell.trace.events import load_jsonl
from minishell.trace.syscalls import BY_NAME

COMMON = {"v": int, "type": str, "pid": int, "ts": float}
FIELDS = {
    "start": {"argv": list, "cwd": str, "fds": dict, "attached": bool, "time": float},
    "syscall": {"tid": int, "nr": int, "name": str, "args": list, "classes": list,
                "cap": dict, "text": str, "result": str},
    "spawn": {"child": int, "kind": str},
    "exec": {"path": str, "argv": list, "envc": int},
    "signal": {"tid": int, "sig": str},
    "exit": {"core": bool},
}


def traced_json(tmp_path, *cmd, opts=(), env=None):
    out = tmp_path / "t.jsonl"
    r = run_minitrace("--json", "-o", str(out), *opts, *cmd, env=env)
    lines = out.read_text().splitlines()
    return r, lines, [json.loads(line) for line in lines]


def test_json_schema_round_trip(tmp_path):
    data = tmp_path / "data.txt"
    env = {**ENV, "SECRET_TOKEN": "hunter2-do-not-show"}
    r, lines, events = traced_json(tmp_path, "sh", "-c", f"echo hi > {data}; cat {data}; "
                                   "ls /no/such/file", env=env)
    assert r.returncode == 2 and r.stdout == "hi\n"
    assert "hunter2" not in "".join(lines)  # environments are counted, never recorded
    for ev in events:
        for key, kind in {**COMMON, **FIELDS[ev["type"]]}.items():
            assert isinstance(ev[key], kind) or (key == "ts" and ev[key] == 0), (key, ev)
        assert ev["v"] == 1
    start = events[0]
    assert start["type"] == "start" and start["argv"][0] == "sh" and start["attached"] is False
    assert {"0", "1", "2"} <= set(start["fds"])
    calls = [e for e in events if e["type"] == "syscall"]
    assert calls[0]["name"] == "execve" and calls[0]["text"].startswith('execve("/')
    for ev in calls:
        assert ev["name"] == BY_NAME[ev["name"]].name and len(ev["args"]) == 6
        assert (ev["err"] is None) == (ev["ret"] is None or ev["ret"] != -1 or ev["nr"] == 39)
        assert ev["dur"] is None or ev["dur"] >= 0
    failed = [e for e in calls if e["err"] == "ENOENT" and "/no/such/file" in e["text"]]
    assert failed and failed[0]["result"].startswith("-1 ENOENT")
    execs = [e for e in events if e["type"] == "exec"]
    assert [e["argv"] for e in execs] == [["sh", "-c", start["argv"][2]], ["cat", str(data)],
                                          ["ls", "/no/such/file"]]
    assert all(e["envc"] > 0 for e in execs)
    spawns = [e for e in events if e["type"] == "spawn"]
    assert len(spawns) == 2 and {s["kind"] for s in spawns} <= {"fork", "vfork", "clone"}
    exits = [e for e in events if e["type"] == "exit"]
    assert exits[-1]["pid"] == start["pid"] and exits[-1]["code"] == 2
    # what load_jsonl reads back is what was written
    assert list(load_jsonl(lines)) == events
    assert [json.dumps(e, separators=(",", ":")) for e in events] == lines


def test_render_a_saved_trace(tmp_path):
    _, _, events = traced_json(tmp_path, "sh", "-c", "true | cat")
    r = run_minitrace("render", str(tmp_path / "t.jsonl"), "--tree")
    assert r.returncode == 0, r.stderr
    assert str(events[0]["pid"]) in r.stdout and "cat" in r.stdout


def test_render_rejects_a_file_that_is_not_a_trace(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"v": 99, "type": "start"}\n')
    r = run_minitrace("render", str(bad), "--tree")
    assert r.returncode == 1 and "schema version 99" in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize("spec", ["trace=clone,execve,wait4,pipe2,pipe,dup2,close",
                                  "!write,mmap,mprotect", "trace=process", "%file"])
def test_filter_with_and_without_seccomp(tmp_path, cc, spec):
    """The seccomp filter (stops only at the selected calls) and the tracer's own filter
    (stops at every call) see the same calls; for lists of names, so does strace.
    (For classes, our table's membership is our own: strace's is LGPL data.)"""
    exe = cc("forkpipe", FORK_PIPE_EXEC)
    seccomp = minitrace_summary(["-e", spec, exe], tmp_path, env=ENV)
    plain = minitrace_summary(["-e", spec, "--no-seccomp", exe], tmp_path, env=ENV)
    assert seccomp == plain and seccomp
    name_list = spec.removeprefix("trace=")
    if "%" not in name_list and name_list not in ("process", "file"):
        assert seccomp == strace_summary(["-e", spec, exe], tmp_path, env=ENV)
    else:
        cls = name_list.strip("%")
        assert all(cls in BY_NAME[name].classes for name in seccomp)
    if name_list == "process":
        assert {"clone", "execve", "wait4"} <= set(seccomp)


def test_filter_shows_only_the_selected_calls(tmp_path):
    r, _, events = traced_json(tmp_path, "sh", "-c", "ls / >/dev/null",
                               opts=("-e", "trace=execve,openat"))
    assert r.returncode == 0
    names = {e["name"] for e in events if e["type"] == "syscall"}
    assert names == {"execve", "openat"}
    assert [e["argv"][0] for e in events if e["type"] == "exec"] == ["sh", "ls"]


def test_text_lines_are_strace_lines(tmp_path):
    out = tmp_path / "t.txt"
    r = run_minitrace("-o", str(out), "-T", "-s", "5", "sh", "-c", "echo hello-world",
                      env=ENV)
    assert r.returncode == 0 and r.stdout == "hello-world\n"
    lines = out.read_text().splitlines()
    pid = int(lines[0].split()[0])
    assert re.fullmatch(rf'{pid} execve\("/usr/bin/sh", \["sh", "-c", "echo "\.\.\.\], '
                        r'0x[0-9a-f]+ /\* \d+ vars \*/\) = 0 <\d\.\d{6}>', lines[0])
    write = rf'{pid} write\(1(<pipe:\[\d+\]>)?, "hello"\.\.\., 12\) = 12 <\d\.\d{{6}}>'
    assert any(re.fullmatch(write, line) for line in lines)
    assert lines[-1] == f"{pid} +++ exited with 0 +++"


def test_timestamps_and_failed_only(tmp_path):
    out = tmp_path / "t.txt"
    run_minitrace("-o", str(out), "-tt", "-Z", "ls", "/no/such/file")
    lines = out.read_text().splitlines()
    calls = [line for line in lines if "(" in line]
    assert calls and all(re.match(r"\d+ \d\d:\d\d:\d\d\.\d{6} \w+\(", line) for line in calls)
    assert all(" = -1 E" in line for line in calls)
    out.unlink()
    run_minitrace("-o", str(out), "-r", "-z", "ls", "/no/such/file")
    calls = [line for line in out.read_text().splitlines() if "(" in line]
    assert calls and all(re.match(r"\d+ +\d+\.\d{6} \w+\(", line) for line in calls)
    assert not any(" = -1 E" in line for line in calls)


def test_per_process_summary(tmp_path, cc):
    exe = cc("forkpipe", FORK_PIPE_EXEC)
    out = tmp_path / "c.txt"
    r = run_minitrace("-c", "--per-process", "-o", str(out), exe, env=ENV)
    assert r.returncode == 0 and r.stdout == "hello\n"
    text = out.read_text()
    headings = re.findall(r"^PID (\d+) \((\S+)\):$", text, re.M)
    assert [name for _, name in headings] == ["forkpipe", "echo"]
    assert text.count("% time") == 3 and "All processes:" in text


def test_no_follow_traces_only_the_first_process(tmp_path):
    r, _, events = traced_json(tmp_path, "sh", "-c", "ls / >/dev/null; echo done",
                               opts=("--no-follow",))
    assert r.returncode == 0 and r.stdout == "done\n"
    assert {e["pid"] for e in events} == {events[0]["pid"]}
    assert not [e for e in events if e["type"] == "spawn"]


def test_cpu_pins_tracer_and_tracee(tmp_path):
    r = run_minitrace("-o", str(tmp_path / "t"), "--cpu", "0", "grep", "Cpus_allowed_list",
                      "/proc/self/status")
    assert r.returncode == 0 and r.stdout.split() == ["Cpus_allowed_list:", "0"]
    r = run_minitrace("--cpu", "4096", "true")
    assert r.returncode == 2 and r.stderr.startswith("minitrace: --cpu 4096:")


def test_fork_is_shown_as_fork_unless_raw(tmp_path):
    r = run_minitrace("-e", "trace=clone", "sh", "-c", "(true)")
    forks = [line for line in r.stderr.splitlines() if "+++" not in line and "---" not in line]
    assert len(forks) == 1 and re.fullmatch(r"\d+ fork\(\) = \d+", forks[0])
    r = run_minitrace("--raw", "-e", "trace=clone", "sh", "-c", "(true)")
    forks = [line for line in r.stderr.splitlines() if "+++" not in line and "---" not in line]
    assert len(forks) == 1 and "clone(child_stack=NULL, flags=" in forks[0]
    assert "SIGCHLD" in forks[0]


@pytest.mark.parametrize("option", ["-t", "-tt", "-ttt", "-r"])
def test_time_columns_as_strace(tmp_path, option):
    """The time goes after the pid, in strace's widths; -r starts at 0."""
    shapes = {}
    for name, tracer in (("strace", ["strace", "-f"]), ("minitrace", MINITRACE)):
        out = tmp_path / name
        subprocess.run([*tracer, option, "-o", str(out), "/bin/true"], check=True, timeout=60)
        first = out.read_text().splitlines()[0]
        shapes[name] = re.sub(r"\d", "d", re.sub(r"^\d+ +", "PID ", first))[:40]
        if option == "-r":
            assert re.match(r"\d+ +0\.000000 execve\(", first), first
    assert shapes["minitrace"] == shapes["strace"]


def test_y_is_accepted(tmp_path):
    out = tmp_path / "t.txt"
    assert run_minitrace("-y", "-o", str(out), "cat", "/etc/hostname").returncode == 0
    assert re.search(r"read\(3</etc/hostname>, ", out.read_text())


def test_render_rejects_an_unknown_event_type(tmp_path):
    trace = tmp_path / "t.jsonl"
    trace.write_text('{"v":1,"type":"start","pid":1,"ts":0,"argv":["x"],"cwd":"/","fds":{},'
                     '"attached":false,"time":0}\n{"v":1,"type":"sycall","pid":1,"ts":0}\n')
    r = run_minitrace("render", str(trace), "--tree")
    assert r.returncode == 1
    assert r.stderr == f"minitrace: render: {trace}: line 2: unknown event type 'sycall'\n"
