/* The map's names: only the selected actor and the most connected ones, as many as fit at the
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
      cy.on("zoom pan resize add remove", later);
      el._generaLabels = later;
    }
    place(cy, el._generaSelected, el._generaPartners);
    return true;
  }

  window.generaMap = {place: place, attach: attach};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    generaMap: {
      /* after the elements or the style change: names placed again */
      labels: function (elements, stylesheet, selected, id) {
        const el = document.getElementById(id);
        if (!el) { return window.dash_clientside.no_update; }
        el._generaSelected = selected || null;
        el._generaPartners = [];
        if (selected && el._cyreg) {
          const node = el._cyreg.cy.getElementById(selected);
          if (node && node.length) {
            el._generaPartners = node.neighborhood("node").map(function (n) { return n.id(); });
          }
        }
        setTimeout(function () { attach(el); }, 0);
        return (elements || []).length;
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
