// minitrace timeline: draws the trace embedded in #trace-data (see render_html.py).
// One lane per process, one mark per system call (its width is the time the call took),
// arrows for fork (parent -> child) and wait (child's exit -> parent's wait).
"use strict";
window.addEventListener("error", (e) => { document.body.dataset.error = String(e.message); });
(function () {
  const D = JSON.parse(document.getElementById("trace-data").textContent);
  const $ = (id) => document.getElementById(id);
  const PAD = 24;
  const CALL = { lane: 0, ts: 1, dur: 2, name: 3, cls: 4, text: 5, result: 6, explain: 7,
                 failed: 8, table: 9, effects: 10 };
  const visible = new Set(D.classes);
  const GAP_PX = 96;          // an idle stretch wider than this is squeezed to this width
  let scale = 1;              // pixels per second of busy time
  let squeeze = true;         // squeeze idle time (no call running in any process)
  const gaps = idleGaps();    // [start, end] of each stretch when no call was running
  let cuts = [];              // the gaps squeezed at this zoom: [start, end, x of start]
  let selected = -1;
  const laneEls = [], markEls = [], lifeEls = [], eventEls = [];

  function fmtTime(sec) {
    if (sec === 0) return "0";
    const ms = sec * 1000;
    if (ms >= 100) return ms.toFixed(0) + " ms";
    if (ms >= 1) return ms.toFixed(2) + " ms";
    return (ms * 1000).toFixed(ms * 1000 >= 10 ? 0 : 1) + " µs";
  }
  // Where no process is inside a call, the CPU ran user code (or nothing): on a real time
  // scale those stretches dwarf the calls, so by default each is drawn at most GAP_PX wide.
  function idleGaps() {
    const spans = D.calls.map((c) => [c[CALL.ts], c[CALL.ts] + c[CALL.dur]])
      .concat(D.events.map((e) => [e[1], e[1]]), D.arrows.map((a) => [a[2], a[2]]),
              D.arrows.map((a) => [a[4], a[4]]), D.lanes.map((l) => [l.end, l.end]))
      .sort((a, b) => a[0] - b[0]);
    const out = [];
    let busyUntil = 0;
    for (const [b, e] of spans) {
      if (b > busyUntil) out.push([busyUntil, b]);
      busyUntil = Math.max(busyUntil, e);
    }
    return out;
  }
  function cutsFor(s) {
    return squeeze ? gaps.filter(([b, e]) => (e - b) * s > GAP_PX) : [];
  }
  function widthFor(s) {
    const cut = cutsFor(s);
    return (D.end - cut.reduce((sum, [b, e]) => sum + e - b, 0)) * s + cut.length * GAP_PX;
  }
  function setScale(s) {
    scale = s;
    cuts = [];
    let removed = 0;
    for (const [b, e] of cutsFor(s)) {
      cuts.push([b, e, PAD + (b - removed) * s + cuts.length * GAP_PX]);
      removed += e - b;
    }
  }
  function x(t) {
    let lo = 0, hi = cuts.length;   // the last cut starting before t
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cuts[mid][0] < t) lo = mid + 1; else hi = mid; }
    if (lo === 0) return PAD + t * scale;
    const [b, e, xb] = cuts[lo - 1];
    if (t < e) return xb + (t - b) / (e - b) * GAP_PX;
    return xb + GAP_PX + (t - e) * scale;
  }
  function timeAt(px) {            // the inverse of x, for zooming around a point
    let lo = 0, hi = D.end;
    for (let k = 0; k < 60; k++) { const mid = (lo + hi) / 2; if (x(mid) < px) lo = mid; else hi = mid; }
    return lo;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // -- build the page once --------------------------------------------------
  function build() {
    $("title").textContent = D.title;
    $("title").title = D.title;
    $("summary").textContent = D.summary;
    const controls = $("classes");
    for (const cls of D.classes) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox"; box.checked = true; box.dataset.cls = cls;
      box.addEventListener("change", () => {
        if (box.checked) visible.add(cls); else visible.delete(cls);
        applyFilter();
      });
      const swatch = el("span", "swatch");
      swatch.style.background = `var(--${cls})`;
      label.append(box, swatch, document.createTextNode(cls));
      controls.append(label);
    }
    const labels = $("labels"), canvas = $("canvas");
    labels.append(el("div", "label axis-label", "process"));
    D.lanes.forEach((lane, i) => {
      const label = el("div", "label");
      label.style.paddingLeft = (8 + 22 * lane.depth) + "px";
      label.title = lane.command;
      const pid = el("b", "", String(lane.pid));
      pid.style.color = lane.thread ? "var(--muted)" : "var(--fg)";
      label.append(pid, el("span", lane.thread ? "thread" : "", lane.label));
      label.addEventListener("click", () => zoomTo(lane.start, lane.end));
      labels.append(label);
      const row = el("div", "lane");
      row.dataset.pid = lane.pid; row.dataset.lane = i;
      const life = el("div", "life");
      const ended = el("div", "ended" + (lane.bad ? " bad" : ""), lane.ended);
      row.append(life, ended);
      lifeEls.push([life, ended]);
      canvas.append(row);
      laneEls.push(row);
    });
    D.calls.forEach((c, i) => {
      const m = el("div", "mark" + (c[CALL.failed] ? " failed" : ""));
      m.dataset.i = i; m.dataset.name = c[CALL.name]; m.dataset.cls = c[CALL.cls];
      m.style.background = `var(--${c[CALL.cls]})`;
      laneEls[c[CALL.lane]].append(m);
      markEls.push(m);
    });
    D.events.forEach((ev) => {
      const e = el("div", "event " + ev[2]);
      e.append(el("span", "", ev[3]));
      laneEls[ev[0]].append(e);
      eventEls.push([e, ev[1]]);
    });
    canvas.addEventListener("mouseover", (e) => {
      const i = e.target.dataset && e.target.dataset.i;
      if (i === undefined) return;
      const c = D.calls[+i];
      $("tip").textContent = `${c[CALL.text]} = ${c[CALL.result]}` +
        (c[CALL.explain] ? "\n" + c[CALL.explain] : "") + `\n${fmtTime(c[CALL.dur])}`;
      $("tip").style.display = "block";
    });
    canvas.addEventListener("mousemove", (e) => {
      const tip = $("tip");
      tip.style.left = Math.min(e.clientX + 16, window.innerWidth - tip.offsetWidth - 8) + "px";
      tip.style.top = (e.clientY + 20) + "px";
    });
    canvas.addEventListener("mouseout", () => { $("tip").style.display = "none"; });
    canvas.addEventListener("click", (e) => {
      const i = e.target.dataset && e.target.dataset.i;
      if (i !== undefined) select(+i);
    });
    $("zoom-in").addEventListener("click", () => zoom(2));
    $("zoom-out").addEventListener("click", () => zoom(0.5));
    $("zoom-fit").addEventListener("click", () => { setScale(fitScale()); layout(); });
    const children = D.lanes.filter((l) => l.depth > 0);
    if (children.length) {
      $("zoom-children").addEventListener("click", () => zoomTo(
        Math.min(...children.map((l) => l.start)), Math.max(...children.map((l) => l.end))));
    } else {
      $("zoom-children").remove();
    }
    $("squeeze").addEventListener("change", () => {
      squeeze = $("squeeze").checked;
      setScale(fitScale());
      layout();
    });
    $("scroller").addEventListener("wheel", (e) => {
      if (!(e.ctrlKey || e.altKey || e.metaKey)) return;
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.5 : 1 / 1.5, e.clientX - $("scroller").getBoundingClientRect().left);
    }, { passive: false });
    document.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        e.preventDefault();
        step(e.key === "ArrowRight" ? 1 : -1);
      } else if (e.key === "+" || e.key === "=") zoom(2);
      else if (e.key === "-") zoom(0.5);
      else if (e.key === "Escape") select(-1);
    });
    window.addEventListener("resize", () => layout());
  }

  function fitScale() {
    const width = Math.max($("scroller").clientWidth - 2 * PAD - 120, 200);
    let lo = 0, hi = 1e12;          // widthFor grows with the scale: bisect
    for (let k = 0; k < 80; k++) { const mid = (lo + hi) / 2; if (widthFor(mid) < width) lo = mid; else hi = mid; }
    return lo || width / Math.max(D.end, 1e-6);
  }

  // -- place everything for the current zoom ---------------------------------
  function layout() {
    const width = x(D.end) + PAD + 120;
    $("canvas").style.width = width + "px";
    markEls.forEach((m, i) => {
      const c = D.calls[i];
      m.style.left = x(c[CALL.ts]) + "px";
      m.style.width = Math.max(3, c[CALL.dur] * scale) + "px";
    });
    D.lanes.forEach((lane, i) => {
      const [life, ended] = lifeEls[i];
      life.style.left = x(lane.start) + "px";
      life.style.width = Math.max(2, x(lane.end) - x(lane.start)) + "px";
      ended.style.left = x(lane.end) + "px";
    });
    eventEls.forEach(([e, t]) => { e.style.left = x(t) + "px"; });
    drawAxis(width);
    drawArrows(width);
  }

  function drawAxis(width) {
    const axis = $("axis"), bands = $("bands");
    axis.replaceChildren();
    bands.replaceChildren();
    axis.style.width = width + "px";
    const raw = 160 / scale;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw);
    let last = -Infinity;
    for (let t = 0; t <= D.end + step; t += step) {
      if (cuts.some(([b, e]) => t > b && t < e) || x(t) - last < 110) continue;
      const tick = el("div", "tick", fmtTime(t));
      tick.style.left = x(t) + "px";
      axis.append(tick);
      last = x(t);
    }
    for (const [b, e, xb] of cuts) {
      const gap = el("div", "gap", "≈" + fmtTime(e - b));
      gap.title = `${fmtTime(e - b)} with no system call running: drawn squeezed`;
      gap.style.left = xb + "px";
      gap.style.width = GAP_PX + "px";
      axis.append(gap);
      const band = el("div", "gap-band");
      band.style.left = xb + "px";
      band.style.width = GAP_PX + "px";
      bands.append(band);
    }
  }

  function laneY(i) { return laneEls[i].offsetTop + laneEls[i].offsetHeight / 2; }

  function drawArrows(width) {
    const svg = $("arrows");
    svg.setAttribute("width", width);
    svg.setAttribute("height", $("canvas").offsetHeight);
    svg.querySelectorAll(":scope > path").forEach((p) => p.remove());
    for (const [kind, from, t0, to, t1] of D.arrows) {
      const x0 = x(t0), y0 = laneY(from), x1 = x(t1), y1 = laneY(to);
      const bend = Math.max(30, Math.abs(x1 - x0) / 2);
      const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
      p.setAttribute("d", `M${x0},${y0} C${x0 + bend / 2},${y0} ${x1 - bend / 2},${y1} ${x1},${y1}`);
      p.setAttribute("class", kind);
      p.setAttribute("marker-end", `url(#head-${kind})`);
      svg.append(p);
    }
  }

  function zoom(factor, anchor) {
    const scroller = $("scroller");
    const at = anchor === undefined ? scroller.clientWidth / 2 : anchor;
    const t = timeAt(scroller.scrollLeft + at);
    setScale(Math.min(Math.max(scale * factor, fitScale() / 4), 5e9));
    layout();
    scroller.scrollLeft = x(t) - at;
  }

  // Show the stretch [t0, t1] across the visible width (a process's life, say).
  function zoomTo(t0, t1) {
    const scroller = $("scroller");
    const want = Math.max(scroller.clientWidth - 2 * PAD - 120, 200);
    let lo = fitScale(), hi = 5e9;
    for (let k = 0; k < 80; k++) {
      const mid = Math.sqrt(lo * hi);
      setScale(mid);
      if (x(t1) - x(t0) < want) lo = mid; else hi = mid;
    }
    setScale(lo);
    layout();
    scroller.scrollLeft = x(t0) - PAD;
  }

  function applyFilter() {
    markEls.forEach((m, i) => {
      m.classList.toggle("hidden", !visible.has(D.calls[i][CALL.cls]));
    });
    document.body.dataset.shown = String(markEls.filter((m) => !m.classList.contains("hidden")).length);
  }

  function step(direction) {
    let i = selected;
    do { i += direction; } while (i >= 0 && i < D.calls.length && !visible.has(D.calls[i][CALL.cls]));
    if (i >= 0 && i < D.calls.length) select(i);
  }

  function select(i) {
    if (selected >= 0) markEls[selected].classList.remove("selected");
    selected = i;
    const box = $("details");
    box.replaceChildren();
    if (i < 0) {
      box.append(el("p", "hint", D.hint));
      return;
    }
    const c = D.calls[i], lane = D.lanes[c[CALL.lane]];
    markEls[i].classList.add("selected");
    markEls[i].scrollIntoView({ block: "nearest", inline: "center" });
    box.append(el("h2", "", `${lane.label} [${lane.pid}] · ${c[CALL.name]} at ` +
                  `${fmtTime(c[CALL.ts])}, took ${fmtTime(c[CALL.dur])}`));
    box.append(el("div", "call", `${c[CALL.text]} = ${c[CALL.result]}`));
    if (c[CALL.explain]) box.append(el("div", "explain", c[CALL.explain]));
    const effects = c[CALL.effects];
    if (effects.length) {
      const list = el("ul", "effects");
      for (const e of effects) {
        list.append(el("li", e[0] === "+" ? "added" : e[0] === "-" ? "removed" : "", e));
      }
      box.append(el("div", "hint", "what this call changed in the fd table:"), list);
    }
    const changed = new Set(effects.map((e) => parseInt(e.replace(/^[-+]/, ""), 10)));
    const rows = D.tables[c[CALL.table]] || [];
    box.append(el("div", "hint", `fd table of ${lane.pid} after this call` +
                  (rows.length ? ":" : ": (not recorded)")));
    if (rows.length) {
      const table = el("table", "fds");
      const head = el("tr");
      head.append(el("th", "", "fd"), el("th", "", "refers to"));
      table.append(head);
      for (const [fd, what] of rows) {
        const tr = el("tr", changed.has(fd) ? "changed" : "");
        tr.append(el("td", "", String(fd)), el("td", "", what));
        table.append(tr);
      }
      box.append(table);
    }
    document.body.dataset.selected = String(i);
  }

  // -- a link can carry a view: #call=N&hide=memory,desc&zoom=4 ---------------
  function applyHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const cls of (params.get("hide") || "").split(",").filter(Boolean)) {
      visible.delete(cls);
      const box = document.querySelector(`input[data-cls="${cls}"]`);
      if (box) box.checked = false;
    }
    applyFilter();
    if (params.get("zoom")) zoom(+params.get("zoom"));
    if (params.get("pid")) {
      const lane = D.lanes.find((l) => String(l.pid) === params.get("pid"));
      if (lane) zoomTo(lane.start, lane.end);
    }
    if (params.get("call") !== null && params.get("call") !== "") select(+params.get("call"));
  }

  build();
  setScale(fitScale());
  layout();
  select(-1);
  applyHash();
  document.body.dataset.lanes = String(laneEls.length);
  document.body.dataset.marks = String(markEls.length);
  document.body.dataset.ready = "yes";
})();
