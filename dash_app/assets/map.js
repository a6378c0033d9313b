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
    const zoom = cy.zoom();
    const model = FONT_PX / zoom;  // font size in model units: constant on screen
    const ext = cy.extent();
    const order = [];
    const first = new Set([selected].concat(partners || []).filter(Boolean));
    cy.nodes().forEach(function (n) {
      const p = n.position();
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) { return; }
      const prio = n.id() === selected ? -2 : (first.has(n.id()) ? -1 : 0);
      order.push([prio, n.data("rank") || 1e9, n]);
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
    cy.batch(function () {
      cy.nodes(".labelled").removeClass("labelled");
      chosen.forEach(function (n) { n.addClass("labelled"); n.style("font-size", model); });
    });
    return chosen.length;
  }

  function attach(el) {
    const cy = el._cyreg && el._cyreg.cy;
    if (!cy) { return false; }
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
    (elements || []).forEach(function (e) { want.set(e.data.id, e); });
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

  window.generaMap = {place: place, attach: attach, apply: apply, highlight: highlight};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    generaMap: {
      /* the period's elements or the selection changed: draw them, then place the names */
      draw: function (elements, selected, id) {
        const el = document.getElementById(id);
        const cy = el && el._cyreg && el._cyreg.cy;
        if (!cy) { return window.dash_clientside.no_update; }
        const first = cy.elements().length === 0;
        cy.batch(function () {
          if (elements) { apply(cy, elements); }
          el._generaSelected = selected || null;
          el._generaPartners = highlight(cy, selected);
        });
        if (first && cy.elements().length) { cy.fit(undefined, 10); }
        attach(el);
        return cy.elements().length;
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
