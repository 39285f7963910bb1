/* newsetl: a small stand-in for bootstrap-table, so Data Docs index tables render offline.
 * Great Expectations builds its index with $(table).bootstrapTable({columns, data, ...}); this
 * draws the same rows as a plain Bootstrap table (sorted as asked, rows clickable when they link
 * to a page). Searching and filter controls are left out. */
(function ($) {
  "use strict";
  function named(option) {
    return typeof option === "string" && typeof window[option] === "function" ? window[option] : null;
  }
  function sortRows(rows, options) {
    var key = options.sortName;
    if (!key) { return rows; }
    (options.columns || []).forEach(function (c) { if (c.field === key && c.sortName) { key = c.sortName; } });
    var sign = options.sortOrder === "desc" ? -1 : 1;
    return rows.slice().sort(function (a, b) {
      var x = a[key], y = b[key];
      return x === y ? 0 : (x > y ? sign : -sign);
    });
  }
  function drawTable(table, options) {
    var columns = options.columns || [];
    var rowAttributes = named(options.rowAttributes), rowStyle = named(options.rowStyle);
    var head = $("<thead>").appendTo(table.empty().addClass("table table-sm table-hover newsetl-table"));
    var titles = $("<tr>").appendTo(head);
    columns.forEach(function (c) { $("<th>").text(c.title || c.field).appendTo(titles); });
    var body = $("<tbody>").appendTo(table);
    sortRows(options.data || [], options).forEach(function (row, index) {
      var tr = $("<tr>").appendTo(body);
      if (rowAttributes) { tr.attr(rowAttributes(row, index)); }
      if (rowStyle) { tr.css((rowStyle(row, index) || {}).css || {}); }
      columns.forEach(function (c) {
        var value = row[c.field];
        $("<td>").addClass(c.align === "center" ? "text-center" : "").html(value == null ? "" : String(value)).appendTo(tr);
      });
      tr.on("click", function () { table.trigger("click-row.bs.table", [row, tr]); });
    });
  }
  $.fn.bootstrapTable = function (options) {
    if (typeof options !== "object" || options === null) { return this; }  /* methods: nothing to do */
    return this.each(function () { drawTable($(this), options); });
  };
})(jQuery);
