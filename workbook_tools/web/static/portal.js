// Drag-and-drop onto the file field: the dropped files become the input's files,
// then the ordinary form is sent (the page works the same without this script).
(function () {
  "use strict";
  document.querySelectorAll("label.drop").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    var shown = zone.querySelector(".chosen");
    if (!input) { return; }
    function show() {
      if (shown) {
        shown.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ");
      }
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("over");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      input.files = event.dataTransfer.files;
      show();
      if (!input.multiple && zone.closest("form")) { zone.closest("form").requestSubmit(); }
    });
  });
}());
