// The accessibility menu: a disclosure of aria-pressed toggles. Each choice is
// a data-a11y-* attribute on <html> (site.css does the rest) and is kept in
// localStorage; the inline script in base.html re-applies it before first
// paint on the next page. Every word shown comes from the template.
(function () {
  "use strict";

  var KEY = "clinic-a11y";
  var OPTIONS = ["text", "contrast", "underline", "font", "spacing", "motion"];
  var root = document.documentElement;
  var button = document.getElementById("a11y-menu-button");
  var link = document.getElementById("a11y-menu-link");
  var panel = document.getElementById("a11y-panel");
  var status = document.getElementById("a11y-status");
  if (!button || !panel) {
    return;
  }
  var toggles = Array.prototype.slice.call(panel.querySelectorAll("[data-a11y-option]"));

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  function save(prefs) {
    try {
      localStorage.setItem(KEY, JSON.stringify(prefs));
    } catch (error) {
      // Private browsing or storage full: the choice still applies to this page.
    }
  }

  var prefs = load();

  function apply() {
    OPTIONS.forEach(function (option) {
      if (prefs[option]) {
        root.setAttribute("data-a11y-" + option, prefs[option]);
      } else {
        root.removeAttribute("data-a11y-" + option);
      }
    });
    // Bootstrap's dark theme gives form controls light-on-dark colours; site.css sharpens them.
    if (prefs.contrast) {
      root.setAttribute("data-bs-theme", "dark");
    } else {
      root.removeAttribute("data-bs-theme");
    }
    toggles.forEach(function (toggle) {
      var pressed = (prefs[toggle.dataset.a11yOption] || "") === toggle.dataset.a11yValue;
      toggle.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  function announce(message) {
    if (!status) {
      return;
    }
    // Emptied first so the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function groupLabel(toggle) {
    var group = toggle.closest("[role=group]");
    var label = group && document.getElementById(group.getAttribute("aria-labelledby"));
    return label ? label.textContent.trim() : "";
  }

  function choose(toggle) {
    var option = toggle.dataset.a11yOption;
    var value = toggle.dataset.a11yValue;
    var label = toggle.textContent.trim();
    if (option === "text") {
      prefs.text = value;
      announce(groupLabel(toggle) + ": " + label);
    } else {
      prefs[option] = prefs[option] ? "" : value;
      announce(label + ": " + (prefs[option] ? panel.dataset.stateOn : panel.dataset.stateOff));
    }
    OPTIONS.forEach(function (key) {
      if (!prefs[key]) {
        delete prefs[key];
      }
    });
    save(prefs);
    apply();
  }

  function open() {
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    toggles[0].focus();
  }

  function close() {
    panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }

  button.addEventListener("click", function () {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  });
  panel.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-a11y-option]");
    if (toggle) {
      choose(toggle);
    } else if (event.target.closest("#a11y-reset")) {
      prefs = {};
      save(prefs);
      apply();
      announce(panel.dataset.resetMessage);
    } else if (event.target.closest("#a11y-close")) {
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    var inMenu = panel.contains(event.target) || event.target === button;
    if (event.key === "Escape" && !panel.hidden && inMenu) {
      event.preventDefault();
      close();
    }
  });
  // Another tab changed the settings: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      prefs = load();
      apply();
    }
  });

  apply();
  if (link) {
    link.hidden = true;
  }
  button.hidden = false;
})();
