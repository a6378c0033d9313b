/* The relationship map, drawn on a plain canvas: the period's actors and ties, the selected
   actor highlighted, zoom (wheel, pinch) and pan (drag), a tap picks an actor, and names: only
   the selected actor and the most connected ones, as many as fit at the current zoom, never two
   overlapping, at one size on screen whatever the zoom.

   Why not Dash Cytoscape (which drew the map until 12/2026): for a step of the time slider it
   restyled and redrew the ~2,000 elements of a period in 300-700 ms of the browser's CPU
   (benchmarks/bench_app.py); the same drawing issued as canvas calls takes a few milliseconds.
   Positions are fixed for the whole programme (computed once by the server), so the map needs
   no layout, only a drawing: every change (a window, a selection, a zoom) draws the whole map
   again in one animation frame.

   el._generaMap (el: the map's div) is the drawing's state, read by the tests and the
   benchmark: nodes(), edges(), zoom(), zoomTo(level, modelPoint), rendered(id), classes(id),
   labelBoxes() (the boxes of the names as drawn: [id, x1, y1, x2, y2, font px]). */
(function () {
  const FONT_PX = 13;        // on-screen size of a name
  const FONT = FONT_PX + "px Helvetica Neue, Helvetica, Arial, sans-serif";
  const MAX_NAMES = 60;      // at most this many names at once
  const PAD = 3;             // screen pixels kept free around each name
  const OUTLINE = 2;         // white outline around a name's letters (screen pixels)
  const MIN_ZOOM = 0.05, MAX_ZOOM = 4;
  const TAP_SLOP = 5;        // a press that moves less than this is a tap, not a pan
  // the drawing's style (dash_app/figures.py, map_style), read from the div's data-style
  const STYLE = {
    edge: {"peer": "#1b9e77", "professional": "#bbbbbb", "institutional": "#e6ab02"},
    edgeOpacity: 0.45, fadedEdge: 0.08, ownEdge: 0.9, ownColour: "#000",
    border: 0.5, borderColour: "#333", chosenBorder: 6, chosenColour: "#000",
    fadedNode: 0.25, text: "#222", outline: "#fff"
  };
  let measurer = null;

  function textWidth(text) {
    if (!measurer) { measurer = document.createElement("canvas").getContext("2d"); }
    measurer.font = FONT;
    return measurer.measureText(text).width;
  }

  function fontBox() {  // ascent and descent of the names' font, screen pixels
    if (!measurer) { measurer = document.createElement("canvas").getContext("2d"); }
    measurer.font = FONT;
    const m = measurer.measureText("Hg");
    return [m.fontBoundingBoxAscent || FONT_PX * 0.95, m.fontBoundingBoxDescent || FONT_PX * 0.25];
  }

  function MapView(el) {
    this.el = el;
    this.style = Object.assign({}, STYLE);
    try { Object.assign(this.style, JSON.parse(el.dataset.style || "{}")); } catch (e) { /* defaults */ }
    const canvas = document.createElement("canvas");
    canvas.style.display = "block";
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    canvas.style.touchAction = "none";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", el.getAttribute("aria-label") || "");
    el.appendChild(canvas);
    this.canvas = canvas;
    this.nodes = [];          // {id, label, kind, size, colour, x, y, rank, z}
    this.edges = [];          // {id, s, t (nodes), nature, w, data}
    this.byId = new Map();
    this.zoomLevel = 1;
    this.pan = {x: 0, y: 0};
    this.selected = null;
    this.partners = new Set();
    this.labels = [];         // [node, box] of the names drawn
    this.drawnBoxes = [];
    this.frame = 0;
    this.needPlace = true;
    this.needFit = false;
    this.widths = new Map();
    this.taps = 0;
    this.size();
    this.listen();
    const self = this;
    if (window.ResizeObserver) {
      this.observer = new ResizeObserver(function () { if (self.size()) { self.redraw(); } });
      this.observer.observe(el);
    }
  }

  MapView.prototype.size = function () {
    const w = this.el.clientWidth, h = this.el.clientHeight, dpr = window.devicePixelRatio || 1;
    if (w === this.w && h === this.h && dpr === this.dpr) { return false; }
    this.w = w; this.h = h; this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(h * dpr));
    if (this.needFit && w > 0 && h > 0) { this.fit(10); }
    this.needPlace = true;
    return true;
  };

  /* The period's elements (the server's or generaMap.windowMap's format: nodes with data and
     position, then ties with source and target). */
  MapView.prototype.setElements = function (elements) {
    const nodes = [], edges = [], byId = new Map();
    (elements || []).forEach(function (e) {
      const d = e.data || {};
      if (d.source === undefined) {
        const n = {id: String(d.id), label: String(d.label || ""), kind: d.kind,
                   size: +d.size || 0, colour: d.colour || "#999", rank: d.rank === undefined ? 1e9 : d.rank,
                   x: e.position ? +e.position.x : 0, y: e.position ? +e.position.y : 0, data: d};
        nodes.push(n); byId.set(n.id, n);
      }
    });
    (elements || []).forEach(function (e) {
      const d = e.data || {};
      if (d.source === undefined) { return; }
      const s = byId.get(String(d.source)), t = byId.get(String(d.target));
      if (s && t) { edges.push({id: String(d.id), s: s, t: t, nature: d.nature, w: +d.w || 1, data: d}); }
    });
    const first = this.nodes.length === 0;
    this.nodes = nodes; this.edges = edges; this.byId = byId;
    this.highlight(this.selected);
    if (first && nodes.length) { this.needFit = true; }
    if (this.needFit && this.w > 0 && this.h > 0) { this.fit(10); }
    this.needPlace = true;
  };

  MapView.prototype.fit = function (padding) {
    if (!this.nodes.length) { return; }
    this.needFit = false;
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    this.nodes.forEach(function (n) {
      const r = n.size / 2;
      x1 = Math.min(x1, n.x - r); x2 = Math.max(x2, n.x + r);
      y1 = Math.min(y1, n.y - r); y2 = Math.max(y2, n.y + r);
    });
    // room above the top actors for their names
    const above = fontBox().reduce(function (x, y) { return x + y; }) + 2 * OUTLINE + 2;
    const w = Math.max(x2 - x1, 1), h = Math.max(y2 - y1, 1);
    const z = Math.min((this.w - 2 * padding) / w, (this.h - 2 * padding - above) / h);
    this.zoomLevel = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z > 0 ? z : 1));
    this.pan = {x: (this.w - this.zoomLevel * (x1 + x2)) / 2,
                y: (this.h + above - this.zoomLevel * (y1 + y2)) / 2};
  };

  /* the selected actor, its partners (by the drawn ties) and its ties stand out */
  MapView.prototype.highlight = function (selected) {
    this.selected = selected && this.byId.has(selected) ? selected : (selected || null);
    const partners = new Set();
    if (this.selected) {
      const id = this.selected;
      this.edges.forEach(function (e) {
        if (e.s.id === id) { partners.add(e.t.id); } else if (e.t.id === id) { partners.add(e.s.id); }
      });
    }
    this.partners = partners;
    this.needPlace = true;
    return Array.from(partners);
  };

  MapView.prototype.classes = function (id) {
    const out = [];
    const sel = this.selected && this.byId.has(this.selected) ? this.selected : null;
    const node = this.byId.get(id);
    if (node) {
      if (sel && id !== sel && !this.partners.has(id)) { out.push("faded"); }
      if (id === sel) { out.push("chosen"); }
      if (this.partners.has(id)) { out.push("partner"); }
      if (this.labels.some(function (l) { return l[0] === node; })) { out.push("labelled"); }
      return out;
    }
    const e = this.edges.find(function (x) { return x.id === id; });
    if (e && sel) { out.push(e.s.id === sel || e.t.id === sel ? "own" : "faded"); }
    return out;
  };

  MapView.prototype.toScreen = function (n) {
    return {x: n.x * this.zoomLevel + this.pan.x, y: n.y * this.zoomLevel + this.pan.y};
  };

  /* Names: greedy in priority order (selected, its partners, then rank) over the actors in
     view; a name goes above its actor where its box meets no box already taken. */
  MapView.prototype.place = function () {
    const z = this.zoomLevel, self = this;
    const sel = this.selected, partners = this.partners;
    const order = [];
    this.nodes.forEach(function (n) {
      const p = self.toScreen(n);
      if (p.x < 0 || p.x > self.w || p.y < 0 || p.y > self.h || !n.label) { return; }
      const prio = n.id === sel ? -2 : (partners.has(n.id) ? -1 : 0);
      order.push([prio, n.rank, n, p]);
    });
    order.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    const [ascent, descent] = fontBox();
    const h = ascent + descent + 2 * OUTLINE;
    const taken = [], labels = [];
    for (let k = 0; k < order.length && labels.length < MAX_NAMES; k++) {
      const n = order[k][2], p = order[k][3];
      let w = self.widths.get(n.label);
      if (w === undefined) { w = textWidth(n.label) + 2 * OUTLINE; self.widths.set(n.label, w); }
      const bottom = p.y - n.size * z / 2 - 2;
      const box = [p.x - w / 2, bottom - h, p.x + w / 2, bottom];
      // a name cut by the map's edge is not drawn
      if (box[0] < 0 || box[1] < 0 || box[2] > self.w || box[3] > self.h) { continue; }
      const hit = taken.some(function (b) {
        return box[0] - PAD < b[2] && b[0] < box[2] + PAD && box[1] - PAD < b[3] && b[1] < box[3] + PAD;
      });
      if (!hit) { taken.push(box); labels.push([n, box, ascent]); }
    }
    this.labels = labels;
    this.needPlace = false;
    return labels.length;
  };

  /* one drawing in the next animation frame, however many changes before it */
  MapView.prototype.redraw = function () {
    if (this.frame) { return; }
    const self = this;
    this.frame = requestAnimationFrame(function () {
      self.frame = 0;
      if (self.needPlace) { self.place(); }
      self.paint(self.canvas, self.dpr, false);
    });
  };

  MapView.prototype.paint = function (canvas, scale, white) {
    const g = canvas.getContext("2d"), S = this.style, z = this.zoomLevel;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.globalAlpha = 1;
    if (white) { g.fillStyle = "#fff"; g.fillRect(0, 0, canvas.width, canvas.height); }
    else { g.clearRect(0, 0, canvas.width, canvas.height); }
    g.setTransform(scale * z, 0, 0, scale * z, scale * this.pan.x, scale * this.pan.y);
    const sel = this.selected && this.byId.has(this.selected) ? this.selected : null;
    const partners = this.partners;
    // ties under the actors: faded ones first, the selected actor's on top
    const own = [];
    g.lineCap = "butt";
    this.edges.forEach(function (e) {
      if (sel && (e.s.id === sel || e.t.id === sel)) { own.push(e); return; }
      g.globalAlpha = sel ? S.fadedEdge : S.edgeOpacity;
      g.strokeStyle = S.edge[e.nature] || S.edge.professional;
      g.lineWidth = e.w;
      g.beginPath(); g.moveTo(e.s.x, e.s.y); g.lineTo(e.t.x, e.t.y); g.stroke();
    });
    g.globalAlpha = S.ownEdge; g.strokeStyle = S.ownColour;
    own.forEach(function (e) {
      g.lineWidth = e.w;
      g.beginPath(); g.moveTo(e.s.x, e.s.y); g.lineTo(e.t.x, e.t.y); g.stroke();
    });
    // actors: the rest, then the named ones, then the selected actor and its partners
    const named = new Set(this.labels.map(function (l) { return l[0]; }));
    const top = [], mid = [];
    function dot(n) {
      const chosen = n.id === sel;
      g.globalAlpha = sel && !chosen && !partners.has(n.id) ? S.fadedNode : 1;
      g.fillStyle = n.colour;
      g.beginPath(); g.arc(n.x, n.y, n.size / 2, 0, 2 * Math.PI); g.fill();
      g.lineWidth = chosen ? S.chosenBorder : S.border;
      g.strokeStyle = chosen ? S.chosenColour : S.borderColour;
      g.stroke();
    }
    this.nodes.forEach(function (n) {
      if (sel && (n.id === sel || partners.has(n.id))) { top.push(n); }
      else if (named.has(n)) { mid.push(n); }
      else { dot(n); }
    });
    mid.forEach(dot); top.forEach(dot);
    // names, in screen pixels (one size whatever the zoom)
    g.setTransform(scale, 0, 0, scale, 0, 0);
    g.globalAlpha = 1;
    g.font = FONT; g.textAlign = "center"; g.textBaseline = "alphabetic";
    g.lineJoin = "round"; g.lineWidth = 2 * OUTLINE; g.strokeStyle = S.outline; g.fillStyle = S.text;
    const boxes = [];
    this.labels.forEach(function (l) {
      const n = l[0], b = l[1], ascent = l[2];
      const x = (b[0] + b[2]) / 2, y = b[1] + OUTLINE + ascent;
      g.strokeText(n.label, x, y);
      g.fillText(n.label, x, y);
      const m = g.measureText(n.label);
      const left = x - m.width / 2 - OUTLINE, right = x + m.width / 2 + OUTLINE;
      boxes.push([n.id, left, y - (m.actualBoundingBoxAscent || ascent) - OUTLINE, right,
                  y + (m.actualBoundingBoxDescent || 0) + OUTLINE, parseFloat(g.font)]);
    });
    if (!white) { this.drawnBoxes = boxes; }
  };

  MapView.prototype.zoomAt = function (level, sx, sy) {
    const z = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, level));
    const mx = (sx - this.pan.x) / this.zoomLevel, my = (sy - this.pan.y) / this.zoomLevel;
    this.zoomLevel = z;
    this.pan = {x: sx - mx * z, y: sy - my * z};
    this.viewChanged();
  };

  MapView.prototype.viewChanged = function () {
    // the names are placed again for the new view, in the same frame as the drawing
    this.needPlace = true;
    this.redraw();
  };

  MapView.prototype.hit = function (sx, sy) {
    let best = null, bestD = Infinity;
    const z = this.zoomLevel;
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const n = this.nodes[k], p = this.toScreen(n);
      const d = Math.hypot(p.x - sx, p.y - sy), r = Math.max(n.size * z / 2, 3) + 2;
      if (d <= r && d < bestD) { best = n; bestD = d; }
    }
    return best;
  };

  MapView.prototype.listen = function () {
    const self = this, c = this.canvas;
    const pointers = new Map();
    let press = null, pinch = null;
    function local(e) {
      const r = c.getBoundingClientRect();
      return {x: e.clientX - r.left, y: e.clientY - r.top};
    }
    c.addEventListener("wheel", function (e) {
      e.preventDefault();
      const p = local(e), unit = e.deltaMode === 1 ? 33 : (e.deltaMode === 2 ? 500 : 1);
      self.zoomAt(self.zoomLevel * Math.pow(2, -e.deltaY * unit / 400), p.x, p.y);
    }, {passive: false});
    c.addEventListener("pointerdown", function (e) {
      c.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      if (pointers.size === 1) {
        press = {start: local(e), pan: Object.assign({}, self.pan), moved: false};
      } else if (pointers.size === 2) {
        const [a, b] = Array.from(pointers.values());
        pinch = {d: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: self.zoomLevel};
        press = null;
      }
    });
    c.addEventListener("pointermove", function (e) {
      const p = local(e);
      if (!pointers.has(e.pointerId)) {
        c.style.cursor = self.hit(p.x, p.y) ? "pointer" : "default";
        return;
      }
      pointers.set(e.pointerId, p);
      if (pinch && pointers.size === 2) {
        const [a, b] = Array.from(pointers.values());
        const d = Math.hypot(a.x - b.x, a.y - b.y) || 1;
        self.zoomAt(pinch.zoom * d / pinch.d, (a.x + b.x) / 2, (a.y + b.y) / 2);
      } else if (press) {
        const dx = p.x - press.start.x, dy = p.y - press.start.y;
        if (press.moved || Math.hypot(dx, dy) > TAP_SLOP) {
          press.moved = true;
          self.pan = {x: press.pan.x + dx, y: press.pan.y + dy};
          self.viewChanged();
        }
      }
    });
    function end(e) {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) { pinch = null; }
      if (press && !press.moved && e.type === "pointerup") {
        const n = self.hit(press.start.x, press.start.y);
        if (n) { self.tap(n); }
      }
      press = null;
    }
    c.addEventListener("pointerup", end);
    c.addEventListener("pointercancel", end);
  };

  /* a tap on an actor: the selection (generaMap.select reads map-tapped) */
  MapView.prototype.tap = function (n) {
    this.taps += 1;
    const dc = window.dash_clientside;
    if (dc && dc.set_props && this.el.dataset.tapped) {
      dc.set_props(this.el.dataset.tapped, {data: {id: n.id, n: this.taps}});
    }
  };

  MapView.prototype.png = function (scale) {
    const c = document.createElement("canvas");
    c.width = Math.round(this.w * scale); c.height = Math.round(this.h * scale);
    this.paint(c, scale, true);
    return c.toDataURL("image/png");
  };

  /* what the tests and the benchmark read */
  MapView.prototype.api = function () {
    const self = this;
    return {
      view: self,
      nodes: function () { return self.nodes.map(function (n) { return {id: n.id, label: n.label, rank: n.rank, x: n.x, y: n.y, size: n.size}; }); },
      edges: function () { return self.edges.map(function (e) { return {id: e.id, source: e.s.id, target: e.t.id, nature: e.nature, w: e.w}; }); },
      zoom: function () { return self.zoomLevel; },
      zoomTo: function (level, at) {
        const p = at ? {x: at.x * self.zoomLevel + self.pan.x, y: at.y * self.zoomLevel + self.pan.y}
          : {x: self.w / 2, y: self.h / 2};
        self.zoomAt(level, p.x, p.y);
      },
      rendered: function (id) { const n = self.byId.get(id); return n ? self.toScreen(n) : null; },
      classes: function (id) { return self.classes(id); },
      labelBoxes: function () { return self.drawnBoxes.slice(); },
      selected: function () { return self.selected; }
    };
  };

  function view(id) {
    const el = document.getElementById(id);
    if (!el) { return null; }
    if (!el._generaView || el._generaView.el !== el) {
      el._generaView = new MapView(el);
      el._generaMap = el._generaView.api();
    }
    return el._generaView;
  }

  /* a new period or selection: draw it now (the names placed for it) */
  function show(v, elements, selected) {
    v.size();
    if (elements) { v.setElements(elements); }
    if (selected !== undefined) { v.highlight(selected); }
    v.needPlace = true;
    v.redraw();
  }

  /* ---- the time slider in the browser: a window's map summed from the parts the server
     sent once for the filters (dash_app/pages/map.py, map_tables), by the rules of the
     window view (genera_graph.temporal.parts.edges_from_parts) and of
     dash_app.figures.map_elements; tests/app/test_browser_map_speed.py compares the
     two for many windows. */
  const PEER = 0, PROFESSIONAL = 1, INSTITUTIONAL = 2;
  const NATURE_NAMES = ["peer", "professional", "institutional"];

  function windowMap(T, lo, hi) {
    const U = T.units, K = U.id.length;
    const acc = new Map();  // pair key u * K + v -> [weight, peer, professional, institutional]
    function add(u, v, nature, w) {
      if (u === v) { return; }
      if (u > v) { const s = u; u = v; v = s; }
      const key = u * K + v;
      let row = acc.get(key);
      if (!row) { row = [0, 0, 0, 0]; acc.set(key, row); }
      row[0] += w; row[1 + nature] += w;
    }
    const D = T.direct;
    if (D.u) {
      for (let i = 0; i < D.u.length; i++) {
        if (D.b[i] >= lo && D.b[i] < hi) { add(D.u[i], D.v[i], D.n[i], D.w[i]); }
      }
    }
    const R = T.relations;
    if (R.u) {
      for (let i = 0; i < R.u.length; i++) {
        if (R.f[i] < hi && R.l[i] >= lo) { add(R.u[i], R.v[i], R.n[i], R.w[i]); }
      }
    }
    // co-participation: the units of each activity in the window (a unit's nature there is
    // the largest of its participations), every pair of them once per activity
    const P = T.parts;
    if (P.u) {
      const byActivity = new Map();
      let i = 0;
      const n = P.u.length;
      while (i < n) {
        const u = P.u[i], a = P.a[i];
        let nature = -1;
        for (; i < n && P.u[i] === u && P.a[i] === a; i++) {
          if (P.b[i] >= lo && P.b[i] < hi && P.n[i] > nature) { nature = P.n[i]; }
        }
        if (nature < 0) { continue; }
        let members = byActivity.get(a);
        if (!members) { members = []; byActivity.set(a, members); }
        members.push(u, nature);
      }
      const natures = T.nature ? new Set(T.nature) : null;
      byActivity.forEach(function (m) {
        // units in increasing order (the rows are sorted by unit)
        for (let x = 0; x < m.length; x += 2) {
          for (let y = x + 2; y < m.length; y += 2) {
            const pn = Math.max(m[x + 1], m[y + 1]) === PROFESSIONAL ? PROFESSIONAL : PEER;
            if (natures && !natures.has(pn)) { continue; }
            add(m[x], m[y], pn, 1);
          }
        }
      });
    }
    // one tie per pair, in the pairs' order; its nature the largest weight, a tie going to
    // the more formal nature
    const keys = Array.from(acc.keys()).sort(function (a, b) { return a - b; });
    const degree = new Float64Array(K), strength = new Float64Array(K);
    const edges = keys.map(function (key) {
      const row = acc.get(key), u = Math.floor(key / K), v = key - u * K;
      let nature = INSTITUTIONAL, best = row[1 + INSTITUTIONAL];
      if (row[1 + PROFESSIONAL] > best) { nature = PROFESSIONAL; best = row[1 + PROFESSIONAL]; }
      if (row[1 + PEER] > best) { nature = PEER; }
      degree[u] += 1; degree[v] += 1; strength[u] += row[0]; strength[v] += row[0];
      return [u, v, row[0], nature];
    });
    const nodes = [];
    for (let u = 0; u < K; u++) { if (degree[u] > 0) { nodes.push(u); } }
    nodes.sort(function (a, b) { return U.order[a] - U.order[b]; });
    let shown = edges;
    if (edges.length > T.cap) {  // the strongest, the first of equal ones (pandas nlargest)
      shown = edges.map(function (e, k) { return k; })
        .sort(function (a, b) { return edges[b][2] - edges[a][2] || a - b; })
        .slice(0, T.cap).map(function (k) { return edges[k]; });
    }
    const metric = T.size === "strength" ? strength : degree;
    const ranked = nodes.slice().sort(function (a, b) { return metric[b] - metric[a] || U.order[a] - U.order[b]; });
    const rank = new Map();
    ranked.forEach(function (u, k) { rank.set(u, k + 1); });
    const lo_px = 8, hi_px = 40;
    const elements = nodes.map(function (u) {
      let size = (lo_px + hi_px) / 4;
      if (T.size === "degree" || T.size === "strength") {
        size = T.top > 0 ? lo_px + T.step * Math.floor((hi_px - lo_px) / T.step
          * Math.sqrt(Math.min(Math.max(metric[u] / T.top, 0), 1)) + 0.5) : lo_px;
      }
      return {data: {id: U.id[u], label: U.label[u], kind: U.kind[u], size: Math.floor(size + 0.5),
                     colour: U.colour[u], rank: rank.get(u)},
              position: {x: U.x[u], y: U.y[u]}};
    });
    shown.forEach(function (e) {
      const w = Math.floor(Math.min(1 + Math.log1p(e[2]), 6) + 0.5);
      elements.push({data: {id: U.id[e[0]] + "~" + U.id[e[1]], source: U.id[e[0]],
                            target: U.id[e[1]], nature: NATURE_NAMES[e[3]], w: w}});
    });
    return {elements: elements, nodes: nodes.length, edges: edges.length, shown: shown.length};
  }

  function count(n, forms, group) {
    const written = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, group);
    return forms[n === 1 ? 0 : 1].replace("{n}", written);
  }

  function clampWindow(value, bins) {
    let lo = value ? value[0] : bins - 3, hi = value ? value[1] : bins;
    lo = Math.max(0, Math.min(Math.floor(lo), bins - 1));
    hi = Math.max(lo + 1, Math.min(Math.floor(hi), bins));
    return [lo, hi];
  }

  function texts(T, lo, hi, drawn) {
    const X = T.text;
    const period = X.period.replace("{start}", X.starts[lo]).replace("{end}", X.ends[hi]);
    let stats = X.stats.replace("{nodes}", count(drawn.nodes, X.nodes, X.group))
      .replace("{edges}", count(drawn.edges, X.edges, X.group)).replace("{period}", period);
    if (drawn.shown < drawn.edges) { stats += " · " + X.capped; }
    return [stats, period];
  }

  /* The side panel draws an actor's network with plotly.js, which Dash loads on the first
     chart (1.2 MB to parse: about half a second here): on the map page no chart is drawn
     before an actor is picked, so start loading it as soon as the pointer comes to the map
     or to the search box, not after the click. */
  function preloadPlotly() {
    if (window.generaLoadPlotly) { window.generaLoadPlotly(); }  // assets/plotly_bundle.js
  }
  ["pointerover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      const t = event.target;
      if (t && t.closest && t.closest("#map-graph, #map-search")) { preloadPlotly(); }
    }, {passive: true});
  });

  window.generaMap = {windowMap: windowMap, texts: texts, view: view};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    generaMap: {
      /* the server's elements of a period (map-elements) or the selection changed */
      draw: function (elements, selected, id) {
        const v = view(id);
        if (!v) { return window.dash_clientside.no_update; }
        // the server's elements only when they are what changed: in the browser's own mode
        // (window below) they are an earlier mode's, no longer the period's
        const trig = (window.dash_clientside.callback_context || {}).triggered || [];
        const fresh = trig.some(function (t) { return String(t.prop_id).indexOf("map-elements.") === 0; });
        show(v, elements && fresh ? elements : null, selected || null);
        return v.nodes.length + v.edges.length;
      },
      /* a window of the slider: summed and drawn here when the server sent the parts
         (tables.mode "client"), else asked of the server (map-window -> redraw) */
      window: function (value, tables, id) {
        const no = window.dash_clientside.no_update;
        if (!tables) { return [no, no, no]; }
        if (tables.mode !== "client") {
          return [no, no, {value: value || null, filters: tables.filters || null}];
        }
        const [lo, hi] = clampWindow(value, tables.bins);
        const drawn = windowMap(tables, lo, hi);
        const v = view(id);
        if (v) { show(v, drawn.elements); }
        return texts(tables, lo, hi, drawn).concat([no]);
      },
      /* the selected actor: the one tapped on the map, or picked in the search box,
         whichever fired last */
      select: function (tapped, searched) {
        const trig = (window.dash_clientside.callback_context || {}).triggered || [];
        if (trig.some(function (t) { return String(t.prop_id).indexOf("map-search.") === 0; })) {
          return searched || null;
        }
        return (tapped && tapped.id) || null;
      },
      /* the play button: start or stop the month-by-month growth */
      play: function (n, disabled) {
        return n ? !disabled : true;
      },
      /* one month more per tick, from the programme's start; stops at the end */
      tick: function (n, value, max, disabled) {
        const skip = [window.dash_clientside.no_update, window.dash_clientside.no_update];
        if (disabled || !value) { return skip; }
        // smooth: the next month only once the last one is drawn (a slow server skips ticks
        // instead of piling up requests)
        if (document.querySelector("[data-dash-is-loading='true']#map-graph, "
                                   + "[data-dash-is-loading='true']#map-stats")) { return skip; }
        const hi = (value[0] !== 0 || value[1] >= max) ? 1 : value[1] + 1;
        return [[0, hi], hi >= max];
      },
      /* the map as a PNG file (what is drawn, names included, twice the screen's pixels) */
      png: function (n, id, name) {
        if (!n) { return window.dash_clientside.no_update; }
        const v = view(id);
        if (!v) { return window.dash_clientside.no_update; }
        const a = document.createElement("a");
        a.href = v.png(2); a.download = name || "mappa.png";
        document.body.appendChild(a); a.click(); a.remove();
        return n;
      }
    }
  });
})();
