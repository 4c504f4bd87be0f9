// The self-assessment form. htmx saves every answer (see templates/assessments/fill_in.html);
// this file only adds what htmx cannot: "not applicable" empties the levels, and a visible
// message plus the save button when an answer could not be sent.
(function () {
  "use strict";
  var page = document.querySelector(".assess-page");
  if (!page) {
    return;
  }
  document.documentElement.classList.add("assess-js");

  function syncNotApplicable(form) {
    var box = form.querySelector(".assess-not-applicable");
    if (!box) {
      return;
    }
    form.querySelectorAll("fieldset.assess-scale").forEach(function (fieldset) {
      fieldset.disabled = box.checked;
      if (box.checked) {
        fieldset.querySelectorAll("input[type=radio]").forEach(function (radio) {
          radio.checked = false;
        });
      }
    });
  }

  function showProblem(form, text) {
    if (!form || !form.classList || !form.classList.contains("assess-form")) {
      return;
    }
    var status = form.querySelector(".assess-status");
    if (status) {
      status.textContent = text;
      status.classList.add("assess-problem");
    }
    form.classList.add("assess-unsaved");
  }

  // Capture phase: runs before htmx reads the form, so the request carries the emptied levels.
  document.addEventListener(
    "change",
    function (event) {
      if (event.target.classList && event.target.classList.contains("assess-not-applicable")) {
        syncNotApplicable(event.target.form);
      }
    },
    true
  );

  // An answer chosen while the page was still loading (before htmx was there to send it) differs from what
  // the server rendered: send it now, or it would never be saved and the save button is already hidden.
  function changedBeforeLoad(form) {
    return Array.prototype.some.call(form.elements, function (element) {
      if (element.type === "radio" || element.type === "checkbox") {
        return element.checked !== element.defaultChecked;
      }
      return element.tagName === "TEXTAREA" && element.value !== element.defaultValue;
    });
  }

  var firstLoad = true;
  htmx.onLoad(function (content) {
    var forms = content.matches && content.matches(".assess-form") ? [content] : content.querySelectorAll(".assess-form");
    forms.forEach(function (form) {
      var changed = firstLoad && changedBeforeLoad(form);
      syncNotApplicable(form);
      if (changed) {
        htmx.trigger(form, "change");
      }
    });
    firstLoad = false;
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    showProblem(event.detail.elt, page.dataset.msgOffline);
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    showProblem(event.detail.elt, page.dataset.msgError);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (event.detail.successful && form.classList && form.classList.contains("assess-form")) {
      form.classList.remove("assess-unsaved");
      var status = form.querySelector(".assess-status");
      if (status) {
        status.classList.remove("assess-problem");
      }
    }
  });

  // Warn before leaving while an answer is still on its way or could not be saved.
  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector(".assess-form.htmx-request, .assess-form.assess-unsaved")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // On a phone the contents list would push the questions far down: start it folded.
  var contents = document.querySelector(".assess-toc-details");
  if (contents && window.matchMedia("(max-width: 991.98px)").matches) {
    contents.open = false;
  }
})();
