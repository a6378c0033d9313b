/* Printing a grid prints all its rows. AG Grid draws only the rows in view, one page of them
   at a time; before printing (the browser's print, or a page's print button), every grid of
   the page is switched to AG Grid's print layout (domLayout "print": every row drawn, the grid
   as tall as its rows) with pagination off, and switched back after printing. */
(function () {
  let saved = null;

  function grids() {
    const out = [];
    const lib = window.dash_ag_grid;
    if (!lib || !lib.getApi) { return out; }
    document.querySelectorAll("[id][class*='ag-theme']").forEach(function (el) {
      try {
        const api = lib.getApi(el.id);
        if (api && !api.isDestroyed()) { out.push([el, api]); }
      } catch (e) { /* not a grid, or not drawn yet */ }
    });
    return out;
  }

  function prepare() {
    if (saved) { return saved.length; }
    saved = grids().map(function (pair) {
      const el = pair[0], api = pair[1];
      const before = [el, api, api.getGridOption("domLayout"), api.getGridOption("pagination"),
                      el.style.height];
      api.setGridOption("pagination", false);
      api.setGridOption("domLayout", "print");
      el.style.height = "auto";
      return before;
    });
    return saved.length;
  }

  function restore() {
    (saved || []).forEach(function (b) {
      const el = b[0], api = b[1];
      if (api.isDestroyed()) { return; }
      api.setGridOption("domLayout", b[2] || "normal");
      api.setGridOption("pagination", b[3]);
      el.style.height = b[4];
    });
    saved = null;
  }

  /* a page's print button: every row drawn first, then the print dialog */
  function print() {
    prepare();
    requestAnimationFrame(function () {
      requestAnimationFrame(function () { window.print(); });
    });
  }

  window.addEventListener("beforeprint", prepare);
  window.addEventListener("afterprint", restore);
  window.generaPrint = {prepare: prepare, restore: restore, print: print};
})();
