/* Every page's small enhancements (each form works without this script):
   - a form with data-confirm asks before it is sent (withdrawing, revoking, unpublishing);
   - a form with data-busy says so while its files upload, and is not sent twice;
   - an error summary takes the focus, so a screen reader reads it first;
   - the search page's filters, open for a wide screen, fold on a narrow one (where they sit
     above the results), so that the results start on the first screen. */
(function () {
  "use strict";

  function status(form, text) {
    var note = form.querySelector(".busy-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    note.textContent = text;
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("aria-busy", "true");
      status(form, form.getAttribute("data-busy"));
    });
  });

  var filters = document.querySelector("details.filters-fold");
  if (filters && window.matchMedia("(max-width: 48em)").matches) {
    filters.open = false;
  }

  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
