// Vivier's own small enhancements. Every page works without this file; it
// only adds comfort (confirmations, autocomplete…) where the browser runs it.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Ask before destructive actions: <form data-confirm="Supprimer ?">.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
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
