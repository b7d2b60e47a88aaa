(function () {
  "use strict";
  var root = document.documentElement;

  // Theme: follows the system until the reader picks one with the toggle.
  var toggle = document.getElementById("theme-toggle");
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    var t = root.getAttribute("data-theme");
    if (t === "dark") return true;
    if (t === "light") return false;
    return !!(systemDark && systemDark.matches);
  }
  function showTheme() {
    var dark = isDark();
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
    toggle.textContent = dark ? "Light theme" : "Dark theme";
  }
  if (toggle) {
    toggle.hidden = false;
    showTheme();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("eventcat-theme", next); } catch (e) { /* storage may be off */ }
      showTheme();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
  }

  // Search: every word typed must appear in an event's code, title,
  // family, payload type or description.
  var form = document.querySelector("form.search");
  var input = document.getElementById("search");
  var count = document.getElementById("search-count");
  var noMatch = document.getElementById("no-match");
  var noMatchQuery = document.getElementById("no-match-query");
  var events = Array.prototype.slice.call(document.querySelectorAll("section.event"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-event]"));
  var families = Array.prototype.slice.call(document.querySelectorAll("section.family"));
  var statics = Array.prototype.slice.call(document.querySelectorAll("section.intro, section.envelope"));

  function applyFilter() {
    var query = input.value.trim().toLowerCase();
    var words = query.split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = {};
    var n = 0;
    events.forEach(function (ev) {
      var hay = ev.getAttribute("data-search") || "";
      var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
      ev.hidden = !ok;
      if (ok) { shown[ev.id] = true; n++; }
    });
    rows.forEach(function (r) { r.hidden = !shown[r.getAttribute("data-event")]; });
    families.forEach(function (f) { f.hidden = !f.querySelector("section.event:not([hidden])"); });
    statics.forEach(function (s) { s.hidden = words.length > 0; });
    noMatch.hidden = n !== 0;
    noMatchQuery.textContent = input.value.trim();
    count.textContent = words.length ? n + " of " + events.length + " events" : "";
  }
  if (form && input) {
    form.hidden = false;
    input.addEventListener("input", applyFilter);
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; applyFilter(); }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== input && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  // Following a link to an event the filter hides clears the filter.
  function revealTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target || !input || target.offsetParent !== null) return;
    input.value = "";
    applyFilter();
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", revealTarget);

  // Copy buttons of examples.
  function flash(button, text) {
    var label = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = label; }, 1500);
  }
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    var code = document.getElementById(button.getAttribute("data-copy"));
    if (!code) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = code.textContent;
      function fallback() {
        selectText(code);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        flash(button, ok ? "Copied" : "Press Ctrl+C");
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { flash(button, "Copied"); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
