// Documentos: the column configurator's ordering. A row is moved by HTML5 drag and drop
// or by its up/down buttons (keyboard); after every move the position numbers of the
// shown columns are rewritten in row order, so the form posts exactly the order on
// screen. Without JavaScript the position numbers still work by hand.
(function () {
  "use strict";
  // the filter panel: leave empty fields out of the URL, so a bookmark names only the
  // filters that are set
  var filters = document.getElementById("document-filters");
  if (filters) {
    filters.addEventListener("submit", function () {
      filters.querySelectorAll("input, select").forEach(function (field) {
        if (!field.value && !(field.multiple && field.selectedOptions.length)) { field.disabled = true; }
      });
    });
    // back to a page kept in the browser's cache: its fields must be usable again
    window.addEventListener("pageshow", function () {
      filters.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
    });
  }
})();

(function () {
  "use strict";
  var list = document.getElementById("column-list");
  if (!list) { return; }
  var dragged = null;

  function renumber() {
    var n = 0;
    list.querySelectorAll("tr").forEach(function (row) {
      var shown = row.querySelector(".column-visible").checked;
      row.querySelector(".column-position").value = shown ? String(++n) : "";
      row.classList.toggle("hidden-column", !shown);
    });
  }

  function move(row, direction) {
    var other = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    if (direction === "up") { list.insertBefore(row, other); } else { list.insertBefore(other, row); }
    renumber();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button) { return; }
    move(button.closest("tr"), button.dataset.move);
    button.focus();  // keep the keyboard user on the row they are moving
  });

  list.addEventListener("change", function (event) {
    if (event.target.classList.contains("column-visible")) { renumber(); }
  });

  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("tr");
    if (!dragged) { return; }
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.column);
  });

  list.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    event.preventDefault();  // allows the drop
    event.dataTransfer.dropEffect = "move";
  });

  list.addEventListener("drop", function (event) {
    var target = event.target.closest("tr");
    event.preventDefault();
    if (!dragged || !target || target === dragged) { return; }
    // the upper half of a row drops before it, the lower half after it
    var box = target.getBoundingClientRect();
    var before = event.clientY < box.top + box.height / 2;
    list.insertBefore(dragged, before ? target : target.nextElementSibling);
    renumber();
  });

  list.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });

  renumber();
})();
