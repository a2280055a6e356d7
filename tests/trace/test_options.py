"""The options that feed other parts: colour, --explain, --fds/--html records, the
classroom hooks (--quiet-startup, --slow, --step) and the pictures after a live run."""

from __future__ import annotations

import json
import re

from tracekit import run_minitrace


def test_colour_on_a_terminal_marks_processes_and_failures(tmp_path):
    r = run_minitrace("--color", "always", "sh", "-c", "ls /no/such; true | true")
    lines = [line for line in r.stderr.splitlines() if "\x1b[" in line]
    assert lines, r.stderr
    failed = [line for line in lines if "ENOENT" in line]
    assert failed and all("\x1b[1;31m-1 ENOENT" in line for line in failed)
    pid_colours = {}
    for line in lines:
        m = re.match(r"\x1b\[1;(\d+)m(\d+) ", line)
        if m:
            pid_colours.setdefault(m.group(2), set()).add(m.group(1))
    assert len(pid_colours) >= 3  # sh, ls and the two sides of the pipe
    assert all(len(c) == 1 for c in pid_colours.values())  # one colour per process
    assert len({next(iter(c)) for c in pid_colours.values()}) >= 3
    plain = run_minitrace("-o", str(tmp_path / "t"), "true")  # a file: no colour
    assert "\x1b[" not in (tmp_path / "t").read_text() and plain.returncode == 0


def test_explain_puts_a_plain_line_under_each_call(tmp_path):
    out = tmp_path / "t.txt"
    run_minitrace("--explain", "-o", str(out), "cat", "/etc/hostname")
    lines = out.read_text().splitlines()
    calls = [i for i, line in enumerate(lines) if re.match(r"\d+ \w+\(", line)]
    assert calls
    for i in calls:
        if not lines[i].endswith("= ?"):
            assert lines[i + 1].startswith("      \u21b3 "), lines[i:i + 2]
    assert any("/etc/hostname" in line and "\u21b3" in line for line in lines)


def test_fds_and_page_faults_are_recorded_for_the_pictures(tmp_path):
    out = tmp_path / "t.jsonl"
    html = tmp_path / "t.html"
    r = run_minitrace("--json", "-o", str(out), "--html", str(html), "sh", "-c",
                      "cat /etc/hostname | wc -c")
    assert r.returncode == 0 and html.stat().st_size > 1000
    events = [json.loads(line) for line in out.read_text().splitlines()]
    calls = [e for e in events if e["type"] == "syscall"]
    assert all("flt" in e for e in calls if e["ret"] is not None)
    assert all(e["flt"][0] > 0 for e in calls if "flt" in e)
    opens = [e for e in calls if e["name"] == "openat" and "/etc/hostname" in e["text"]]
    assert opens and opens[0]["fds"] == {str(opens[0]["ret"]): "/etc/hostname"}
    pipes = [e for e in calls if e["name"] in ("pipe", "pipe2")]
    assert pipes and all(re.fullmatch(r"pipe:\[\d+\]", t) for t in pipes[0]["fds"].values())
    assert len(pipes[0]["fds"]) == 2


def test_tree_after_a_live_run():
    r = run_minitrace("--tree", "--color", "never", "sh", "-c", "true | cat")
    assert r.returncode == 0
    assert "sh" in r.stderr and "cat" in r.stderr and "true" in r.stderr
    assert "execve(" not in r.stderr  # pictures replace the live lines


def test_quiet_startup_hides_the_loader(tmp_path):
    out = tmp_path / "t.txt"
    loud = tmp_path / "loud.txt"
    run_minitrace("--quiet-startup", "-o", str(out), "cat", "/etc/hostname")
    run_minitrace("-o", str(loud), "cat", "/etc/hostname")
    quiet_text, loud_text = out.read_text(), loud.read_text()
    hidden = re.search(r"minitrace: (\d+) start-up calls hidden", quiet_text)
    assert hidden and int(hidden.group(1)) > 5
    assert "ld.so.cache" in loud_text and "ld.so.cache" not in quiet_text
    assert '"/etc/hostname"' in quiet_text


def test_slow_pauses_before_each_call(tmp_path):
    r = run_minitrace("--slow", "20", "-o", str(tmp_path / "t"), "-e", "trace=openat",
                      "cat", "/etc/hostname")
    assert r.returncode == 0
    opens = (tmp_path / "t").read_text().count("openat(")
    assert opens >= 3


def test_step_without_a_terminal_is_one_line(tmp_path):
    r = run_minitrace("--step", "true", start_new_session=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("minitrace: --step needs a terminal")


def test_a_blocked_call_is_shown_while_it_blocks():
    """On a terminal, a call that blocks (sleep, a read waiting for input) is shown at
    once with strace's <unfinished ...> marker; its complete line follows."""
    r = run_minitrace("--color", "always", "sleep", "0.8")
    plain = re.sub(r"\x1b\[[0-9;]*m", "", r.stderr).splitlines()
    sleeping = [i for i, line in enumerate(plain) if "clock_nanosleep(" in line]
    assert len(sleeping) == 2, plain
    assert plain[sleeping[0]].endswith("<unfinished ...>")
    assert plain[sleeping[1]].endswith(" = 0")
