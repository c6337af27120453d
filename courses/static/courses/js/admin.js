/* Django's admin, named for a screen reader (issue 19).
 *
 * Django's widgets leave some controls without an accessible name:
 * - the inputs of a tabular inline or of an editable change list (the column's header names
 *   them on screen, nothing names them for assistive technology);
 * - the boxes select2 draws for an autocomplete picker (the label points at the hidden
 *   <select>);
 * - the filter icons of a two-list picker carry an aria-label on a bare <span>.
 * Each is given the name a sighted user reads next to it. Loaded by admin/base_site.html.
 */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[\s:]+$/, "").trim() : "";
  }

  function named(control) {
    return (control.labels && control.labels.length) ||
      control.hasAttribute("aria-label") || control.hasAttribute("aria-labelledby");
  }

  // A control in a table cell: its column's header, and the row's first cell when it says
  // which row (an editable change list: "Temps supplémentaire — Léa Dubois").
  function nameTableControls(root) {
    const controls = root.querySelectorAll(
      "table td input:not([type=hidden]), table td select, table td textarea");
    for (const control of controls) {
      if (named(control) || control.closest(".select2-container")) continue;
      const cell = control.closest("td");
      const table = cell.closest("table");
      const header = table.tHead && table.tHead.rows[0];
      if (!header) continue;
      let column = 0;
      for (const sibling of cell.parentElement.cells) {
        if (sibling === cell) break;
        column += sibling.colSpan;
      }
      let index = 0;
      let heading = null;
      for (const th of header.cells) {
        if (column >= index && column < index + th.colSpan) { heading = th; break; }
        index += th.colSpan;
      }
      const row = cell.parentElement.querySelector("th");
      const label = [text(heading), row && row !== heading ? text(row) : ""]
        .filter(Boolean).join(" — ");
      if (label) control.setAttribute("aria-label", label);
    }
  }

  // select2's boxes: named by the field's label, as the hidden <select> is.
  function nameAutocompletes(root) {
    for (const select of root.querySelectorAll("select.admin-autocomplete")) {
      const label = select.labels && select.labels[0];
      const box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) continue;
      if (!label.id) label.id = select.id + "_label";
      const selection = box.querySelector(".select2-selection");
      const rendered = box.querySelector(".select2-selection__rendered");
      if (selection && selection.classList.contains("select2-selection--single")) {
        selection.setAttribute("aria-labelledby", label.id + " " + (rendered ? rendered.id : ""));
        if (rendered) rendered.setAttribute("aria-labelledby", label.id);
      }
      const search = box.querySelector(".select2-search__field");
      if (search) search.setAttribute("aria-labelledby", label.id);
    }
  }

  // SelectFilter2's magnifying-glass icons: an aria-label needs a role to be read.
  function nameFilterIcons(root) {
    for (const icon of root.querySelectorAll(".help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img");
    }
  }

  function run(root) {
    nameTableControls(root);
    nameAutocompletes(root);
    nameFilterIcons(root);
  }

  // After Django's own scripts: select2 starts on jQuery's ready, the two-list pickers on load.
  window.addEventListener("load", function () { window.setTimeout(function () { run(document); }); });
  // A row added to an inline (its pickers and inputs are new).
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { run(event.target.closest(".inline-group") || document); });
  });
}());
