// Vivier's own small enhancements. Every page works without this file; it
// only adds comfort (confirmations, autocomplete…) where the browser runs it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // After a refused submission, move the focus to the summary of errors,
  // so that a keyboard or screen reader user starts from the list of what
  // to correct (each item links to its field).
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
  // A table wider than the screen scrolls inside its frame: let the
  // keyboard reach that frame (and name it by the table's caption), so
  // the columns beyond the edge can be scrolled to without a mouse.
  var frames = document.querySelectorAll(".table-wrap");
  var reachable = function () {
    frames.forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        var caption = frame.querySelector("caption");
        frame.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau");
      } else if (frame.getAttribute("role") === "region") {
        frame.removeAttribute("tabindex");
        frame.removeAttribute("role");
        frame.removeAttribute("aria-label");
      }
    });
  };
  reachable();
  window.addEventListener("resize", reachable);
  // Navigation menus: one open at a time, closed by Escape or a click
  // elsewhere. Without script they are plain <details> disclosures.
  var menus = document.querySelectorAll(".site-nav details");
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (menu.open) {
        menus.forEach(function (other) { if (other !== menu) { other.open = false; } });
      }
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) { if (!menu.contains(event.target)) { menu.open = false; } });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus.forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
  // Ask before destructive actions: <form data-confirm="Supprimer ?">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // Commune picker: fill the <datalist> of an input[data-commune-search]
  // from the public commune search as the person types. Without script the
  // server resolves the typed name, postal code or INSEE code itself.
  document.querySelectorAll("input[data-commune-search]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2 || !list) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.communeSearch + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { communes: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.communes.forEach(function (c) {
              var o = document.createElement("option");
              o.value = c.label;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
  // Prevent double submissions: disable the buttons once a form is sent.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});
