"""--html: the timeline page, checked as data and in a real headless Chromium."""

import html.parser
import shutil
import subprocess

import pytest
from pictures_events import exit_, load, sc, spawn, start

from minishell.trace.render_html import page_data, render_page, write_html

CHROMIUM = shutil.which("chromium")


def pipeline():
    return load("handmade_echo_pipe_cat.jsonl")


def test_page_data_lanes_marks_arrows_and_fd_tables():
    events = pipeline()
    data = page_data(events)
    assert [(lane["pid"], lane["label"], lane["depth"]) for lane in data["lanes"]] == [
        (4100, "python", 0), (4101, "echo", 1), (4102, "cat", 1)]
    calls = data["calls"]
    assert len(calls) == sum(ev["type"] == "syscall" for ev in events)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)
    assert sorted((a[0], a[1], a[3]) for a in data["arrows"]) == [
        ("fork", 0, 1), ("fork", 0, 2), ("wait", 1, 0), ("wait", 2, 0)]
    read = next(c for c in calls if c[0] == 2 and c[3] == "read" and c[5].startswith("read(0"))
    assert read[4] == "desc" and read[7] == "read 3 bytes from pipe:[88001] (fd 0)"
    assert data["tables"][read[9]] == [[0, "pipe:[88001] read end"], [1, "/dev/pts/3 (tty)"],
                                       [2, "/dev/pts/3 (tty)"]]
    assert {e[3] for e in data["events"]} >= {"exec echo hi", "exec cat", "SIGCHLD"}
    job_control = [{"v": 1, "type": "stop", "pid": 4102, "ts": 0.0318, "sig": "SIGTSTP"},
                   {"v": 1, "type": "cont", "pid": 4102, "ts": 0.0319}]
    marks = page_data(events[:-3] + job_control + events[-3:])["events"]
    assert [2, 0.0318, "signal", "stopped by SIGTSTP"] in marks
    assert [2, 0.0319, "signal", "continued"] in marks


class Fetches(html.parser.HTMLParser):
    """Collects every attribute that would make a browser fetch something."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data") or (
                    tag == "link" and name == "rel"):
                self.found.append((tag, name, value))


def test_page_is_self_contained():
    page = render_page(pipeline())
    parser = Fetches()
    parser.feed(page)
    assert parser.found == []
    assert "@import" not in page and "url(http" not in page and "fetch(" not in page
    # only the SVG namespace name mentions http, and it is never fetched
    assert page.count("http") == page.count("http://www.w3.org/2000/svg")


def hostile_events():
    """Text from the traced program must stay data: it cannot end the <script>."""
    evil = '</script><script>document.body.dataset.pwned="yes"</script><!--'
    return [start(1, ["sh", evil]),
            sc(1, 0.001, "openat", [0, 0, 0], ret=3, fds={"3": "/tmp/" + evil}),
            spawn(1, 2, 0.002), sc(2, 0.003, "write", [3, 0, 5], ret=5),
            exit_(2, 0.004, signal="SIGSEGV", code=None), exit_(1, 0.005, code=139)]


def chromium(page_path, tmp_path, fragment="", screenshot=None) -> str:
    """Load the page in a real headless Chromium; return the DOM after its script ran."""
    if CHROMIUM is None:
        pytest.fail("chromium is needed (scripts/system-deps.sh installs it)")
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1600,900"]
    if screenshot:
        command.append(f"--screenshot={screenshot}")
    command += ["--dump-dom", f"file://{page_path}{fragment}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.body, self.lanes, self.marks, self.cells = {}, [], [], []
        self.in_td = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        classes = (a.get("class") or "").split()
        if "lane" in classes:
            self.lanes.append(a)
        if "mark" in classes:
            self.marks.append(a)
        if a.get("id") == "canvas":
            self.canvas_width = float(a["style"].split("width:")[1].split("px")[0])
        self.in_td = tag == "td"

    def handle_data(self, data):
        if self.in_td:
            self.cells.append(data)
            self.in_td = False


def dom_of(text: str) -> Dom:
    dom = Dom()
    dom.feed(text)
    return dom


def test_page_runs_in_chromium(tmp_path):
    events = pipeline()
    page = tmp_path / "trace.html"
    write_html(events, str(page))
    data = page_data(events)
    cat_read = next(i for i, c in enumerate(data["calls"])
                    if c[0] == 2 and c[5].startswith("read(0"))
    shot = tmp_path / "shot.png"
    dom = dom_of(chromium(page, tmp_path, f"#call={cat_read}&hide=memory", screenshot=shot))
    assert "data-error" not in dom.body, dom.body
    assert dom.body["data-ready"] == "yes"
    assert [lane["data-pid"] for lane in dom.lanes] == ["4100", "4101", "4102"]
    assert len(dom.marks) == len(data["calls"]) == int(dom.body["data-marks"])
    memory = sum(c[4] == "memory" for c in data["calls"])
    assert memory > 0
    hidden = [m for m in dom.marks if "hidden" in m["class"].split()]
    assert len(hidden) == memory and all(m["data-cls"] == "memory" for m in hidden)
    assert int(dom.body["data-shown"]) == len(data["calls"]) - memory
    assert {m["data-name"] for m in dom.marks} >= {"pipe2", "clone", "dup2", "execve", "wait4"}
    # every mark was placed by the script, and wider calls got wider marks
    assert all("left:" in m["style"] and "width:" in m["style"] for m in dom.marks)
    # the click details: the decoded call and cat's fd table at that instant
    assert dom.body["data-selected"] == str(cat_read)
    assert dom.cells == ["0", "pipe:[88001] read end", "1", "/dev/pts/3 (tty)",
                         "2", "/dev/pts/3 (tty)"]
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_trace_text_stays_text_in_chromium(tmp_path):
    page = tmp_path / "evil.html"
    write_html(hostile_events(), str(page))
    dom = dom_of(chromium(page, tmp_path, "#call=0"))
    assert dom.body.get("data-ready") == "yes" and "data-pwned" not in dom.body
    assert "data-error" not in dom.body
    assert [lane["data-pid"] for lane in dom.lanes] == ["1", "2"]


def test_recorded_pipeline_page_in_chromium(tmp_path):
    """`sh -c 'ls /usr | sort -r | head -3'` as recorded by minitrace: 4 lanes in tree order."""
    events = load("sh_ls_sort_head.jsonl")
    page = tmp_path / "ls.html"
    write_html(events, str(page))
    shot = tmp_path / "ls.png"
    dom = dom_of(chromium(page, tmp_path, screenshot=shot))
    assert dom.body.get("data-ready") == "yes" and "data-error" not in dom.body
    start = next(ev for ev in events if ev["type"] == "start")
    children = [ev["child"] for ev in events if ev["type"] == "spawn"]
    assert [int(lane["data-pid"]) for lane in dom.lanes] == [start["pid"], *children]
    assert len(dom.marks) == sum(ev["type"] == "syscall" for ev in events)
    assert shot.stat().st_size > 10_000
    # a link (or a click on the process name) zooms to one child's life: a wider canvas
    zoomed = dom_of(chromium(page, tmp_path, f"#pid={children[0]}"))
    assert zoomed.body.get("data-ready") == "yes"
    assert zoomed.canvas_width > 1.2 * dom.canvas_width


# What a person does with the mouse and keys, played by a script appended to the page.
PLAY = """<script>
const b = document.body.dataset, mark = document.querySelector('.mark[data-name="pipe2"]');
mark.dispatchEvent(new MouseEvent("mouseover", {bubbles: true, clientX: 50, clientY: 50}));
b.tip = document.getElementById("tip").textContent;
b.tipshown = getComputedStyle(document.getElementById("tip")).display;
mark.dispatchEvent(new MouseEvent("click", {bubbles: true}));
b.details = document.getElementById("details").textContent;
b.clicked = b.selected;
document.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight"}));
b.afterkey = b.selected;
document.querySelector('input[data-cls="memory"]').click();
b.afterfilter = b.shown;
const canvas = document.getElementById("canvas"), before = parseFloat(canvas.style.width);
document.getElementById("zoom-in").click();
b.zoomratio = String(parseFloat(canvas.style.width) / before);
</script></body>"""


def test_hover_click_keys_filter_and_zoom_in_chromium(tmp_path):
    events = pipeline()
    data = page_data(events)
    page = tmp_path / "play.html"
    page.write_text(render_page(events).replace("</body>", PLAY))
    body = dom_of(chromium(page, tmp_path)).body
    assert "data-error" not in body and body["data-ready"] == "yes"
    pipe2 = next(ev for ev in events if ev["type"] == "syscall" and ev["name"] == "pipe2")
    assert body["data-tipshown"] == "block"
    assert f'{pipe2["text"]} = {pipe2["result"]}' in body["data-tip"]
    assert pipe2["explain"] in body["data-tip"]
    # the click shows the call, its explanation and the table with both new pipe ends
    assert pipe2["explain"] in body["data-details"]
    assert "+3 pipe:[88001] read end (cloexec)" in body["data-details"]  # what changed
    assert "3pipe:[88001] read end" in body["data-details"]  # the table after
    assert "4pipe:[88001] write end" in body["data-details"]
    clicked = int(body["data-clicked"])
    assert data["calls"][clicked][3] == "pipe2"
    assert int(body["data-afterkey"]) == clicked + 1  # → is the next call in time
    memory = sum(c[4] == "memory" for c in data["calls"])
    assert int(body["data-afterfilter"]) == len(data["calls"]) - memory
    assert float(body["data-zoomratio"]) > 1.5
