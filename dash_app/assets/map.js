/* The map's drawing (the period's elements applied as a diff, the selected actor
   highlighted by classes) and its names: only the selected actor and the most connected ones, as many as fit at the
   current zoom, never two overlapping; the text keeps one size on screen whatever the zoom.
   Placement is greedy in priority order (selected, its partners, then data(rank)) over the
   actors in view; each name's box is measured with the canvas font Cytoscape uses. */
(function () {
  const FONT_PX = 13;        // on-screen size of a name
  const MAX_NAMES = 60;      // at most this many names at once
  const PAD = 3;             // screen pixels kept free around each name
  let ctx = null;

  function textWidth(text, px) {
    if (!ctx) { ctx = document.createElement("canvas").getContext("2d"); }
    ctx.font = "normal normal " + px + "px Helvetica Neue, Helvetica, sans-serif";
    return ctx.measureText(text).width;
  }

  function place(cy, selected, partners) {
    if (!cy || cy.destroyed() || !cy.container() || !cy.container().isConnected) { return 0; }
    const ranks = cy.scratch("_generaRank") || new Map();
    const zoom = cy.zoom();
    const model = FONT_PX / zoom;  // font size in model units: constant on screen
    const ext = cy.extent();
    const order = [];
    const first = new Set([selected].concat(partners || []).filter(Boolean));
    cy.nodes().forEach(function (n) {
      const p = n.position();
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) { return; }
      const prio = n.id() === selected ? -2 : (first.has(n.id()) ? -1 : 0);
      order.push([prio, ranks.get(n.id()) || 1e9, n]);
    });
    order.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    const boxes = [];
    const chosen = [];
    for (let k = 0; k < order.length && chosen.length < MAX_NAMES; k++) {
      const n = order[k][2];
      const label = String(n.data("label") || "");
      if (!label) { continue; }
      const p = n.renderedPosition();
      const w = textWidth(label, FONT_PX) + 2 * 2 + PAD;   // text outline on both sides
      const h = FONT_PX * 1.25 + PAD;
      const half = (n.renderedHeight() || 0) / 2;
      const box = {x1: p.x - w / 2, x2: p.x + w / 2, y2: p.y - half, y1: p.y - half - h};
      const hit = boxes.some(function (b) {
        return box.x1 < b.x2 && b.x1 < box.x2 && box.y1 < b.y2 && b.y1 < box.y2;
      });
      if (!hit) { boxes.push(box); chosen.push(n); }
    }
    // only the names that come or go, or change size, are restyled
    const keep = new Set(chosen.map(function (n) { return n.id(); }));
    cy.batch(function () {
      cy.nodes(".labelled").forEach(function (n) {
        if (!keep.has(n.id())) { n.removeClass("labelled"); }
      });
      chosen.forEach(function (n) {
        if (!n.hasClass("labelled")) { n.addClass("labelled"); }
        if (n.scratch("_generaFont") !== model) {
          n.style("font-size", model);
          n.scratch("_generaFont", model);
        }
      });
    });
    return chosen.length;
  }

  /* Dash Cytoscape answers every added or removed element by copying all the drawn elements
     (each element's JSON, three times) into its ``elements`` property, which Dash then stores
     and hands back to the component to compare, and by running the layout again (which fits
     the whole map back into view): for a step of the slider, more work than the step itself,
     and the zoom lost. The map's elements are the browser's own (generaMap.window and draw
     patch the drawing, nothing reads that property back), so those two listeners are taken off
     (found by the events they were registered for together: "dragfree add remove" and
     "add remove"); the component's layout refresh is off too (autoRefreshLayout=False). */
  function quiet(cy) {
    if (cy.scratch("_generaQuiet")) { return; }
    const events = new Map();
    (cy.emitter().listeners || []).forEach(function (l) {
      if (!events.has(l.callback)) { events.set(l.callback, new Set()); }
      String(l.event || "").split(/\s+/).forEach(function (name) {
        if (name) { events.get(l.callback).add(name); }
      });
    });
    events.forEach(function (names, callback) {
      const key = Array.from(names).sort().join(" ");
      if (key === "add dragfree remove" || key === "add remove") {
        cy.removeListener(Array.from(names).join(" "), callback);
      }
    });
    cy.scratch("_generaQuiet", true);
  }

  function attach(el) {
    const cy = el._cyreg && el._cyreg.cy;
    if (!cy) { return false; }
    quiet(cy);
    if (!el._generaLabels) {
      let timer = null;
      const later = function () {
        clearTimeout(timer);
        timer = setTimeout(function () { place(cy, el._generaSelected, el._generaPartners); }, 60);
      };
      cy.on("zoom pan resize", later);  // a new period: draw() places them
      el._generaLabels = later;
    }
    place(cy, el._generaSelected, el._generaPartners);
    return true;
  }

  /* The period's elements into the drawn map, in one batch: ties and actors no longer there
     removed, new ones added, and only the data fields that changed set (Cytoscape then
     restyles just those elements; positions are fixed for the whole programme). */
  function apply(cy, elements) {
    const want = new Map();
    // a name's priority (rank) is kept beside the drawing, not in its data: Cytoscape
    // restyles an element whose data changes, and most ranks change with the period
    const ranks = new Map();
    (elements || []).forEach(function (e) {
      if (e.data.rank !== undefined) {
        ranks.set(e.data.id, e.data.rank);
        const data = Object.assign({}, e.data);
        delete data.rank;
        e = Object.assign({}, e, {data: data});
      }
      want.set(e.data.id, e);
    });
    cy.scratch("_generaRank", ranks);
    const gone = cy.elements().filter(function (e) { return !want.has(e.id()); });
    const add = [];
    if (gone.length) { cy.remove(gone); }
    want.forEach(function (e, id) {
      const cur = cy.getElementById(id);
      if (!cur.length) { add.push(e); return; }
      const data = cur.data();
      let changed = null;
      for (const key in e.data) {
        if (data[key] !== e.data[key]) { (changed = changed || {})[key] = e.data[key]; }
      }
      if (changed) { cur.data(changed); }
    });
    if (add.length) { cy.add(add); }  // actors come before ties in the list
  }

  /* The selected actor, its partners and its ties stand out; the rest fades. */
  function highlight(cy, selected) {
    cy.elements(".faded, .chosen, .partner, .own").removeClass("faded chosen partner own");
    const node = selected ? cy.getElementById(selected) : null;
    if (!node || !node.length) { return []; }
    const partners = node.neighborhood("node");
    cy.elements().not(node).not(partners).addClass("faded");
    node.addClass("chosen");
    partners.addClass("partner");
    node.connectedEdges().addClass("own");
    return partners.map(function (n) { return n.id(); });
  }


  /* ---- the time slider in the browser: a window's map summed from the parts the server
     sent once for the filters (dash_app/pages/map.py, map_tables), by the rules of the
     window view (genera_graph.temporal.parts.edges_from_parts) and of
     dash_app.figures.cytoscape_elements; tests/app/test_browser_map_speed.py compares the
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

  window.generaMap = {place: place, attach: attach, apply: apply, highlight: highlight,
                      windowMap: windowMap, texts: texts};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    generaMap: {
      /* the period's elements or the selection changed: draw them, then place the names */
      draw: function (elements, selected, id) {
        const el = document.getElementById(id);
        const cy = el && el._cyreg && el._cyreg.cy;
        if (!cy) { return window.dash_clientside.no_update; }
        const first = cy.elements().length === 0;
        // the server's elements only when they are what changed: in the browser's own mode
        // (window below) they are an earlier mode's, no longer the period's
        const trig = (window.dash_clientside.callback_context || {}).triggered || [];
        const fresh = trig.some(function (t) { return String(t.prop_id).indexOf("map-elements.") === 0; });
        quiet(cy);
        cy.batch(function () {
          if (elements && fresh) { apply(cy, elements); }
          el._generaSelected = selected || null;
          el._generaPartners = highlight(cy, selected);
        });
        if (first && cy.elements().length) { cy.fit(undefined, 10); }
        attach(el);
        return cy.elements().length;
      },
      /* a window of the slider: summed and drawn here when the server sent the parts
         (tables.mode "client"), else asked of the server (map-window -> redraw) */
      window: function (value, tables, id) {
        const no = window.dash_clientside.no_update;
        if (!tables) { return [no, no, no]; }
        if (tables.mode !== "client") {
          return [no, no, {value: value || null, filters: tables.filters || null}];
        }
        const el = document.getElementById(id);
        const cy = el && el._cyreg && el._cyreg.cy;
        const [lo, hi] = clampWindow(value, tables.bins);
        const drawn = windowMap(tables, lo, hi);
        if (cy) {
          quiet(cy);
          const first = cy.elements().length === 0;
          cy.batch(function () {
            apply(cy, drawn.elements);
            el._generaPartners = highlight(cy, el._generaSelected || null);
          });
          if (first && cy.elements().length) { cy.fit(undefined, 10); }
          attach(el);
        }
        return texts(tables, lo, hi, drawn).concat([no]);
      },
      /* the selected actor: the one clicked on the map, or picked in the search box,
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
      /* the map as a PNG file (what is drawn, names included) */
      png: function (n, id, name) {
        if (!n) { return window.dash_clientside.no_update; }
        const el = document.getElementById(id);
        if (!el || !el._cyreg) { return window.dash_clientside.no_update; }
        const uri = el._cyreg.cy.png({full: false, scale: 2, bg: "#ffffff"});
        const a = document.createElement("a");
        a.href = uri; a.download = name || "mappa.png";
        document.body.appendChild(a); a.click(); a.remove();
        return n;
      }
    }
  });
})();
