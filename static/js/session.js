// Warns shortly before the idle time-out (vakmanschap.middleware.IdleTimeoutMiddleware) and offers
// "stay logged in". The timings come from data- attributes on <body>; the dialog markup is in
// templates/includes/session_warning.html. Any request to the server restarts the idle clock
// there, so htmx requests (autosave) restart it here too.
(function () {
  "use strict";
  var body = document.body;
  var dialog = document.getElementById("session-warning");
  var idle = parseInt(body.dataset.sessionIdle, 10);
  var warnBefore = parseInt(body.dataset.sessionWarning, 10);
  if (!dialog || !idle || !warnBefore || typeof dialog.showModal !== "function") {
    return;
  }
  var form = dialog.querySelector("form");
  var button = form.querySelector("button");
  var problem = dialog.querySelector(".session-warning-error");
  var warnTimer = null;
  var endTimer = null;
  var returnFocus = null;

  function start() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(warn, (idle - warnBefore) * 1000);
    // A little after the server's limit: the next page load then shows the login page.
    endTimer = window.setTimeout(function () {
      window.location.reload();
    }, (idle + 5) * 1000);
  }

  function warn() {
    returnFocus = document.activeElement;
    problem.hidden = true;
    dialog.showModal();
    button.focus();
  }

  function close() {
    if (dialog.open) {
      dialog.close();
    }
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
  }

  function stayLoggedIn(event) {
    event.preventDefault();
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          // Redirected to the login page: the session had already ended.
          window.location.reload();
          return;
        }
        start();
        close();
      })
      .catch(function () {
        problem.hidden = false;
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  form.addEventListener("submit", stayLoggedIn);
  // Escape means "I am here" too: keep the session rather than silently dropping the warning.
  dialog.addEventListener("cancel", function (event) {
    stayLoggedIn(event);
  });
  document.body.addEventListener("htmx:afterRequest", start);
  start();
})();
