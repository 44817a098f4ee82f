// Keyboard shortcuts 快捷键 of the worklist, the notification page and the forms (kefu/templates/
// includes/shortcuts.html): an agent who never leaves the keyboard. Single letters act only when
// the focus is not in a text field; Alt/Ctrl combinations act everywhere. "?" shows the help.
(function () {
  var script = document.currentScript;
  var page = script.getAttribute("data-shortcuts") || "";
  var newUrl = script.getAttribute("data-new-url") || "";
  var cannedUrl = script.getAttribute("data-canned") || "";
  var LIST_KEY = "kefu.worklist.rows";

  function typing(el) {
    if (!el || !el.tagName) { return false; }
    var tag = el.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable ||
      (tag === "INPUT" && !/^(checkbox|radio|button|submit|reset)$/i.test(el.type || ""));
  }
  function go(url) { if (url) { window.location.assign(url); } }

  // --- help overlay ---------------------------------------------------------------------------
  function help() {
    var existing = document.getElementById("shortcut-help-overlay");
    if (existing) { existing.parentNode.remove(); return; }
    var tpl = document.getElementById("shortcut-help");
    if (!tpl) { return; }
    var holder = document.createElement("div");
    holder.className = "position-fixed top-50 start-50 translate-middle";
    holder.style.zIndex = 1100; holder.style.width = "30rem"; holder.style.maxWidth = "95%";
    holder.appendChild(tpl.content.cloneNode(true));
    document.body.appendChild(holder);
  }
  function closeHelp() {
    var existing = document.getElementById("shortcut-help-overlay");
    if (existing) { existing.parentNode.remove(); return true; }
    return false;
  }

  // --- worklist rows ----------------------------------------------------------------------------
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#worklist tbody tr")).filter(function (tr) {
      return tr.querySelector("a[href]");
    });
  }
  function rowUrl(tr) { return tr.querySelector("a[href]").getAttribute("href"); }
  var current = -1;
  function select(i) {
    var all = rows();
    if (!all.length) { return; }
    if (current >= 0 && all[current]) { all[current].classList.remove("table-active"); all[current].removeAttribute("aria-selected"); }
    current = Math.max(0, Math.min(all.length - 1, i));
    all[current].classList.add("table-active");
    all[current].setAttribute("aria-selected", "true");
    all[current].scrollIntoView({ block: "nearest" });
  }
  if (page === "worklist") {  // remembered for "next" on the notification page
    var urls = rows().map(rowUrl);
    if (urls.length) { sessionStorage.setItem(LIST_KEY, JSON.stringify(urls)); }
  }
  function neighbour(step) {
    var urls = [];
    try { urls = JSON.parse(sessionStorage.getItem(LIST_KEY) || "[]"); } catch (e) { urls = []; }
    var here = window.location.pathname;
    var at = urls.findIndex(function (u) { return u.split("?")[0] === here; });
    if (at < 0) { return ""; }
    return urls[at + step] || "";
  }

  // --- save: the form the focus is in, else the page's main form --------------------------------
  function save() {
    var el = document.activeElement;
    var form = (el && el.form) || (el && el.closest && el.closest("form")) ||
      document.getElementById("notification-form") || document.querySelector("main form[method=post]");
    if (form) { if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); } }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented) { return; }
    var key = event.key;
    var alt = event.altKey && !event.ctrlKey && !event.metaKey;
    if (key === "Escape" && closeHelp()) { event.preventDefault(); return; }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "s" || key === "S")) {
      event.preventDefault(); save(); return;
    }
    if (alt && (key === "n" || key === "N" || event.code === "KeyN")) {
      if (newUrl) { event.preventDefault(); go(newUrl); }
      return;
    }
    if (alt && (event.code === "KeyJ" || event.code === "KeyK")) {
      key = event.code === "KeyJ" ? "j" : "k";
    } else if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (key === "?") { event.preventDefault(); help(); return; }
    if (page === "worklist") {
      if (key === "/") { var q = document.querySelector("#worklist-filter [name=q]"); if (q) { event.preventDefault(); q.focus(); } }
      else if (key === "j" || key === "ArrowDown") { event.preventDefault(); select(current + 1); }
      else if (key === "k" || key === "ArrowUp") { event.preventDefault(); select(current - 1); }
      else if (key === "Enter" && current >= 0) { event.preventDefault(); go(rowUrl(rows()[current])); }
      else if (key === "n") { event.preventDefault(); go(newUrl); }
    } else if (page === "notification") {
      if (key === "j") { event.preventDefault(); go(neighbour(1)); }
      else if (key === "k") { event.preventDefault(); go(neighbour(-1)); }
      else if (key === "e") { var edit = document.getElementById("edit-notification"); if (edit) { event.preventDefault(); go(edit.getAttribute("href")); } }
      else if (key === "t") { var first = document.querySelector("[data-transition] button[type=submit]"); if (first) { event.preventDefault(); first.focus(); } }
      else if (key === "n") { event.preventDefault(); go(newUrl); }
    }
  });

  // --- canned responses: ";hy" then Tab in a text area inserts the template -----------------------
  if (cannedUrl) {
    var canned = null;
    var load = function () {
      if (!canned) {
        canned = fetch(cannedUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (d) { return d.results || []; });
      }
      return canned;
    };
    document.addEventListener("keydown", function (event) {
      var el = event.target;
      if (event.key !== "Tab" || event.shiftKey || !el || el.tagName !== "TEXTAREA") { return; }
      var before = el.value.slice(0, el.selectionStart);
      var m = /;([\w\u4e00-\u9fff]{1,12})$/.exec(before);
      if (!m) { return; }
      event.preventDefault();
      load().then(function (list) {
        var hit = list.find(function (c) { return c.shortcut === m[1]; });
        if (!hit) { return; }
        var start = el.selectionStart - m[0].length;
        el.setRangeText(hit.text, start, el.selectionStart, "end");
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }
})();
