/* PlainTable (dash_app/plain_table.py): a short table drawn by one React component.

   Written as html.Table/Tr/Td, a monthly series of 36 rows makes some 340 Dash components,
   and Dash's renderer wraps and tracks every one (on the sample district about 0.3-0.4 s of
   the first page's 1.6 s in Chromium: benchmarks/bench_app.py, "first page, cold"). This
   component receives the table's texts, already written in the person's language by the
   server (components.plain_table), and draws the same <table> with React directly.
   Every text is a text node, which React escapes: nothing here is ever read as HTML. */
(function () {
  var React = window.React;
  if (!React) { return; }
  var h = React.createElement;

  function header(cell, i, right) {
    var inner = [cell.text];
    if (cell.note) {  // the ⓘ of components.info: the explanation on hover, the glossary on tap
      inner.push(h("a", {key: "i", href: cell.href, title: cell.note, "aria-label": cell.note,
                          className: "explain-i ms-1"}, "i"));
    }
    return h("th", {key: i, scope: "col", className: right[i] ? "text-end" : undefined}, inner);
  }

  function PlainTable(props) {
    var head = props.head || [], rows = props.rows || [], right = props.right || [];
    var body = rows.map(function (row, r) {
      return h("tr", {key: r}, row.map(function (text, c) {
        return h("td", {key: c, className: right[c] ? "text-end" : undefined}, text);
      }));
    });
    var table = h("table", {className: "table table-sm table-striped table-hover mb-0"},
                  h("thead", null, h("tr", null, head.map(function (cell, i) {
                    return header(cell, i, right);
                  }))),
                  h("tbody", null, body));
    return h("div", {id: props.id, className: "plain-table",
                     style: props.height ? {maxHeight: props.height + "px"} : undefined,
                     "aria-label": props.label || undefined, role: props.label ? "region" : undefined,
                     tabIndex: props.label ? 0 : undefined}, table);
  }

  window.genera_components = Object.assign({}, window.genera_components,
                                           {PlainTable: PlainTable});
})();
