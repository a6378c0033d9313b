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

  /* AG Grid draws its grids with a chunk of its own (0.9 MB) that it fetches on its first
     grid, once the page's answers are in: fetch and parse it now instead. The chunk only
     registers its modules (webpack's chunk array); AG Grid then finds it installed, or finds
     this script tag in flight and waits for it. */
  function preloadGrid() {
    if (document.getElementById("genera-grid-chunk")) { return; }
    load("/_dash-component-suites/dash_ag_grid/async-community.js", "genera-grid-chunk")
      .catch(function () { /* AG Grid fetches it itself */ });
  }

  var path = window.location.pathname;
  var quiet = /^\/(map|login|password)(\/|$)/.test(path);
  if (!quiet) {
    window.generaLoadPlotly();
    preloadGrid();
  }
})();
