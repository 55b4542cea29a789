/* On a phone every data table reads as cards (site.css, max-width 640px): each cell is labelled with its column's
 * header, copied here into data-label so the templates stay plain tables. Tables the board refreshes are
 * labelled again when their rows are swapped in. A table marked .keep (or without a header) stays a table; one
 * marked data-phone="own" has its own phone layout. */
(function () {
  "use strict";
  function label(table) {
    // .keep: stays a table (scrolls in its box); data-phone="own": the page lays it out for a phone itself
    if (table.classList.contains("keep") || table.getAttribute("data-phone") === "own" || !table.tHead) return;
    var names = [];
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    for (var i = 0; i < head.cells.length; i++) {
      var span = head.cells[i].colSpan || 1;
      for (var s = 0; s < span; s++) names.push(head.cells[i].textContent.replace(/\s+/g, " ").trim());
    }
    table.classList.add("cards");
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var col = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1 && names[col]) {
            cell.setAttribute("data-label", names[col]);
          }
          col += cell.colSpan || 1;
        }
      }
    }
  }
  function all() {
    var tables = document.querySelectorAll("main table");
    for (var t = 0; t < tables.length; t++) label(tables[t]);
  }
  document.addEventListener("DOMContentLoaded", function () {
    all();
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) if (changes[i].addedNodes.length) { all(); return; }
    }).observe(document.querySelector("main") || document.body, { childList: true, subtree: true });
  });
})();
