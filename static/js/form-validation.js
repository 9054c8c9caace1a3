// Checks the appointment form before the round trip, the GOV.UK way: on
// submit, and as the patient leaves a field they have typed in (never while
// a field is first being typed, never for a field merely tabbed past), with the server's own
// markup: inline message with a hidden "Error:" prefix, aria-invalid,
// aria-describedby, and the "There is a problem" summary, which gets focus.
// A field that has shown an error is re-checked as the patient corrects it.
// Every message is read from the data-msg-* attributes the server renders;
// the server still checks everything (this script only catches the obvious).
(function () {
  "use strict";

  var form = document.getElementById("appointment-form");
  if (!form) {
    return;
  }
  var PREFIX = form.dataset.errorPrefix;
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;
  var EXTENSION = /\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i;
  var fields = Array.prototype.filter.call(form.elements, function (element) {
    return element.hasAttribute("data-msg-required");
  });
  // Fields that have shown an error (here or from the server) are re-checked as they change.
  var shown = fields.filter(function (field) {
    return field.classList.contains("is-invalid");
  });
  var baseTitle = document.title.indexOf(PREFIX + " ") === 0 ? document.title.slice(PREFIX.length + 1) : document.title;

  // Obviously not a phone number: no digit at all, or fewer than 7 or more
  // than 17 keypad characters (letters count: "1-800-FLOWERS" is a number).
  // Possible-but-unassigned numbers are left to the server.
  function looksLikePhone(value) {
    var number = value.replace(EXTENSION, "");
    var keys = (number.match(/[0-9a-z]/gi) || []).length;
    return /\d/.test(number) && keys >= 7 && keys <= 17;
  }

  function check(field) {
    var value = field.value.trim();
    if (!value) {
      return field.dataset.msgRequired;
    }
    if (field.dataset.msgInvalidEmail && !EMAIL.test(value)) {
      return field.dataset.msgInvalidEmail;
    }
    if (field.dataset.msgNotANumber && !looksLikePhone(value)) {
      return field.dataset.msgNotANumber;
    }
    return "";
  }

  function describedBy(field, id, add) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (token) {
      return token && token !== id;
    });
    if (add) {
      ids.push(id);
    }
    if (ids.length) {
      field.setAttribute("aria-describedby", ids.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }

  function showError(field, message) {
    var id = field.id + "_error";
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "invalid-feedback d-block field-error";
      field.insertAdjacentElement("afterend", box);
    }
    var line = document.createElement("p");
    var hidden = document.createElement("span");
    line.className = "mb-0";
    hidden.className = "visually-hidden";
    hidden.textContent = PREFIX + " ";
    line.append(hidden, message);
    box.replaceChildren(line);
    field.classList.add("is-invalid");
    field.setAttribute("aria-invalid", "true");
    describedBy(field, id, true);
    if (shown.indexOf(field) < 0) {
      shown.push(field);
    }
  }

  function clearError(field) {
    var id = field.id + "_error";
    var box = document.getElementById(id);
    if (box) {
      box.remove();
    }
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    describedBy(field, id, false);
    var summary = document.getElementById("error-summary");
    var entry = summary && summary.querySelector('a[href="#' + field.id + '"]');
    if (entry) {
      entry.closest("li").remove();
      if (!summary.querySelector("li")) {
        summary.remove();
        document.title = baseTitle;
      }
    }
  }

  function showSummary(errors) {
    var old = document.getElementById("error-summary");
    var summary = document.createElement("div");
    var title = document.createElement("h2");
    var list = document.createElement("ul");
    summary.className = "error-summary";
    summary.id = "error-summary";
    summary.tabIndex = -1;
    summary.setAttribute("role", "alert");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    title.className = "error-summary__title";
    title.id = "error-summary-title";
    title.textContent = form.dataset.summaryTitle;
    list.className = "error-summary__list";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + error.field.id;
      link.textContent = error.message;
      item.append(link);
      list.append(item);
    });
    summary.append(title, list);
    if (old) {
      old.replaceWith(summary);
    } else {
      form.prepend(summary);
    }
    document.title = PREFIX + " " + baseTitle;
    summary.focus();
  }

  form.addEventListener("submit", function (event) {
    var errors = [];
    fields.forEach(function (field) {
      var message = check(field);
      if (message) {
        showError(field, message);
        errors.push({ field: field, message: message });
      } else {
        clearError(field);
      }
    });
    if (errors.length) {
      event.preventDefault();
      showSummary(errors);
    }
  });

  // Only a field that has shown an error is re-checked as it changes; a
  // field being filled in for the first time is left alone until it is left.
  function recheck(event) {
    var field = event.target;
    if (shown.indexOf(field) >= 0) {
      validate(field);
    }
  }

  function validate(field) {
    var message = check(field);
    if (message) {
      showError(field, message);
    } else {
      clearError(field);
    }
  }
  form.addEventListener("input", recheck);
  form.addEventListener("change", recheck);

  // Leaving a field the patient has typed in (or chosen from) checks it, as
  // SPEC.md asks; a field only tabbed past stays quiet until submit. Moving
  // to the submit button is left to the submit check, so a message appearing
  // here never shifts the button out from under the pointer.
  var touched = [];
  function touch(event) {
    if (touched.indexOf(event.target) < 0) {
      touched.push(event.target);
    }
  }
  form.addEventListener("input", touch);
  form.addEventListener("change", touch);
  form.addEventListener("focusout", function (event) {
    var field = event.target;
    var next = event.relatedTarget;
    if (fields.indexOf(field) < 0 || touched.indexOf(field) < 0) {
      return;
    }
    if (!(next && next.form === form && next.type === "submit")) {
      validate(field);
    }
  });

  // A summary link moves focus to its field and shows the field's label too.
  form.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = form.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
