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

  // Contents: folded on phones (it is open without JavaScript).
  var toc = document.getElementById("toc");
  if (toc && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) toc.open = false;
  // Following a contents link on a phone folds the contents again.
  if (toc) toc.addEventListener("click", function (e) {
    if (e.target.closest("a") && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) toc.open = false;
  });

  // Search: every word typed must appear in an event's code, title,
  // status, family, payload type, description, or in the field names and
  // enum values of the types its payload reaches.
  var form = document.querySelector("form.search");
  var input = document.getElementById("search");
  var count = document.getElementById("search-count");
  var noMatch = document.getElementById("no-match");
  var noMatchQuery = document.getElementById("no-match-query");
  var events = Array.prototype.slice.call(document.querySelectorAll("section.event"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-event]"));
  var tocItems = Array.prototype.slice.call(document.querySelectorAll("li[data-toc]"));
  var tocFamilies = Array.prototype.slice.call(document.querySelectorAll("li.toc-family"));
  var families = Array.prototype.slice.call(document.querySelectorAll("section.family"));
  var statics = Array.prototype.slice.call(document.querySelectorAll("section.intro, section.envelope, section.types"));

  // What an event matches: its own text (code, title, status, description,
  // field names, examples), its family's title, and the field names and
  // enum values of every type its payload reaches, found by following the
  // links to the Types section. Built on the first search.
  var hays = null;
  function typeOf(link) {
    var id = link.getAttribute("href").slice(1);
    var el = document.getElementById(id);
    return el && el.classList.contains("type") ? el : null;
  }
  function buildHays() {
    var words = {};
    function typeWords(t) {
      if (!words[t.id]) {
        var w = [t.querySelector("h3 code").textContent];
        Array.prototype.forEach.call(t.querySelectorAll("tbody th, .values > li > code:first-child"), function (c) { w.push(c.textContent); });
        words[t.id] = w.join(" ");
      }
      return words[t.id];
    }
    hays = events.map(function (ev) {
      var fam = ev.closest("section.family");
      var parts = [ev.textContent, fam ? fam.querySelector("h2").textContent : ""];
      var seen = {};
      var todo = Array.prototype.slice.call(ev.querySelectorAll('a[href^="#type-"]')).map(typeOf);
      while (todo.length) {
        var t = todo.pop();
        if (!t || seen[t.id]) continue;
        seen[t.id] = true;
        parts.push(typeWords(t));
        Array.prototype.forEach.call(t.querySelectorAll('a[href^="#type-"]'), function (a) { todo.push(typeOf(a)); });
      }
      return parts.join(" ").toLowerCase();
    });
  }

  function applyFilter() {
    if (!hays) buildHays();
    var query = input.value.trim().toLowerCase();
    var words = query.split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = {};
    var n = 0;
    events.forEach(function (ev, i) {
      var hay = hays[i];
      var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
      ev.hidden = !ok;
      if (ok) { shown[ev.id] = true; n++; }
    });
    rows.forEach(function (r) { r.hidden = !shown[r.getAttribute("data-event")]; });
    tocItems.forEach(function (r) { r.hidden = !shown[r.getAttribute("data-toc")]; });
    tocFamilies.forEach(function (f) { f.hidden = !f.querySelector("li[data-toc]:not([hidden])"); });
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
  // (made here: without JavaScript there is nothing to copy with).
  Array.prototype.forEach.call(document.querySelectorAll(".example > pre > code[id]"), function (code) {
    var button = document.createElement("button");
    button.className = "copy";
    button.type = "button";
    button.textContent = "Copy";
    button.setAttribute("data-copy", code.id);
    var title = code.closest(".example").previousElementSibling;
    while (title && title.tagName !== "H4") title = title.previousElementSibling;
    button.setAttribute("aria-label", "Copy the JSON of " + (title ? title.textContent : "the example"));
    code.parentNode.parentNode.insertBefore(button, code.parentNode);
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
