/* The shared period and filters (see dash_app/state.py): pages write them from their
   controls, the shell keeps them in the address bar and in the navigation links. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  genera: {
    /* the query string of a state ({from, to, cp: [...], programme: [...]}) */
    query: function (state) {
      const parts = [];
      ["from", "to", "cp", "programme"].forEach(function (k) {
        let v = (state || {})[k];
        if (Array.isArray(v)) { v = v.join(","); }
        if (v) { parts.push(k + "=" + encodeURIComponent(v)); }
      });
      return parts.length ? "?" + parts.join("&") : "";
    },
    /* the address bar's query as a state (no_update when it has none) */
    fromLocation: function (search, current) {
      if (!search) { return window.dash_clientside.no_update; }
      const params = new URLSearchParams(search);
      const state = Object.assign({}, current || {});
      ["from", "to", "cp", "programme"].forEach(function (k) {
        if (params.has(k)) { state[k] = params.get(k); }
      });
      return state;
    },
    /* every navigation link carries the state; the address bar shows it */
    links: function (state, hrefs) {
      const q = window.dash_clientside.genera.query(state);
      if (window.history && window.history.replaceState) {
        window.history.replaceState(window.history.state, "", window.location.pathname + q);
      }
      return hrefs.map(function (h) { return (h || "/").split("?")[0] + q; });
    },
    _merge: function (current, changes) {
      const state = Object.assign({}, current || {}, changes);
      ["cp", "programme"].forEach(function (k) {
        if (Array.isArray(state[k])) { state[k] = state[k].join(","); }
      });
      return state;
    },
    /* a month range slider (value = month indices into months) with optional filters */
    fromSlider: function (value, months, current) {
      if (!value || !months) { return window.dash_clientside.no_update; }
      return window.dash_clientside.genera._merge(current,
        {from: months[value[0]], to: months[value[1]]});
    },
    fromMapControls: function (value, programmes, cps, months, current) {
      if (!value || !months) { return window.dash_clientside.no_update; }
      return window.dash_clientside.genera._merge(current,
        {from: months[value[0]], to: months[value[1]], cp: cps || [],
         programme: programmes || []});
    },
    /* a period menu's value "from|to" */
    fromPeriod: function (value, current) {
      if (!value) { return window.dash_clientside.no_update; }
      const p = value.split("|");
      return window.dash_clientside.genera._merge(current, {from: p[0], to: p[1]});
    },
    /* the worklist's day (the last day of a quarter) and points */
    fromWorklist: function (asOf, cps, current) {
      if (!asOf) { return window.dash_clientside.no_update; }
      const d = new Date(asOf + "T00:00:00Z");
      const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
      const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 3, 1));
      return window.dash_clientside.genera._merge(current, {
        from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10),
        cp: cps || []});
    }
  }
});
