/* plotly.js for the explorer's charts, and its early start.

   dcc.Graph loads plotly.js on its first use, from window._dashPlotlyJSURL, which Dash's
   renderer sets to the full bundle (4.8 MB: every trace type, maps, WebGL, 3D). The explorer
   draws only scatter and bar traces: point that URL at plotly.js's own "basic" bundle of the
   same version (bar, pie, scatter; 1.2 MB), which a browser parses in a quarter of the time.
   The bundle sits in assets/vendor, which Dash does not load on every page
   (assets_path_ignore in dash_app/app.py); its address carries its fingerprint (a meta tag
   of dash_app/app.py), so that it is cached for a year (dash_app/static.py).

   generaLoadPlotly() starts loading it now: the pages with charts call it before Dash asks
   the server for the page (the browser would otherwise wait for the page's answers, then
   fetch and parse 1.2 MB while the person waits), and the map when the pointer comes near an
   actor. Until it has run, window.Plotly is the promise of it: dcc.Graph awaits
   `window.Plotly || <load it>` through Promise.resolve, so it waits for this load instead of
   starting a second one; the bundle then sets window.Plotly to itself. */
(function () {
  var meta = document.querySelector('meta[name="genera-plotly"]');
  var url = (meta && meta.content) || "/assets/vendor/plotly-basic.min.js";
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () { return url; },
    set: function () { /* the renderer's full-bundle URL is ignored */ }
  });

  function load(src, id) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.async = true; s.id = id;
      s.onload = function () { resolve(window.Plotly); };
      s.onerror = reject;
      (document.head || document.documentElement).appendChild(s);
    });
  }

  window.generaLoadPlotly = function () {
    if (window.Plotly) { return window.Plotly; }
    var pending = load(url, "genera-plotly").catch(function () {
      window.Plotly = undefined;  // dcc.Graph then loads it itself
      return undefined;
    });
    window.Plotly = pending;
    return pending;
  };

  /* Chunks that components fetch when first drawn, once the page's answers are in (AG Grid's
     modules, 0.9 MB; dcc's Graph, Dropdown and RangeSlider, 13-44 kB each): fetched and
     parsed now instead, while the page waits for its layout and first callbacks (the grid's,
     on the overview, later: below). A chunk only registers its modules (webpack's chunk
     array); the component then finds it installed, or finds this script tag in flight and
     waits for it. Webpack matches a tag in flight by its src attribute, which holds the
     absolute address it would load (its public path is its own script's src): so does this
     one. */
  var SUITES = window.location.origin + "/_dash-component-suites/";
  function preload(chunk, id) {
    if (document.getElementById(id)) { return; }
    load(SUITES + chunk, id).catch(function () { /* the component fetches it itself */ });
  }

  var path = window.location.pathname;
  var quiet = /^\/(map|login|password)(\/|$)/.test(path);
  if (!/^\/(login|password)(\/|$)/.test(path)) {
    preload("dash/dcc/async-dropdown.js", "genera-dropdown-chunk");
  }
  if (/^\/(map|actor)(\/|$)/.test(path)) {
    preload("dash/dcc/async-slider.js", "genera-slider-chunk");
  }
  var grid = function () { preload("dash_ag_grid/async-community.js", "genera-grid-chunk"); };
  if (!quiet) {
    window.generaLoadPlotly();
    preload("dash/dcc/async-graph.js", "genera-graph-chunk");
  }
  if (path === "/" || path === "") {
    /* the overview, the first page, draws no grid (its table is one plain component,
       dash_app/plain_table.py): the grid's
       chunk is fetched once its charts are drawn and the browser is idle, for the page the
       person opens next, instead of being parsed while they wait for the first one */
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    var wait = function () {
      if (document.querySelector(".js-plotly-plot .main-svg")) { idle(grid, {timeout: 5000}); }
      else { setTimeout(wait, 250); }
    };
    window.addEventListener("load", wait);
  } else if (!quiet) {
    grid();
  }
})();
