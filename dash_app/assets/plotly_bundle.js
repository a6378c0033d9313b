/* dcc.Graph loads plotly.js on its first use, from window._dashPlotlyJSURL, which Dash's
   renderer sets to the full bundle (4.8 MB: every trace type, maps, WebGL, 3D). The explorer
   draws only scatter and bar traces: point that URL at plotly.js's own "basic" bundle of the
   same version (bar, pie, scatter; 1.2 MB), which a browser parses in a quarter of the time.
   The bundle sits in assets/vendor, which Dash does not load on every page
   (assets_path_ignore in dash_app/app.py). */
(function () {
  var url = "/assets/vendor/plotly-basic.min.js";
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () { return url; },
    set: function () { /* the renderer's full-bundle URL is ignored */ }
  });
})();
