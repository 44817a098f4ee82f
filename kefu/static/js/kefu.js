// Small behaviours of Kefu's pages, bound here so the Content-Security-Policy needs no inline handlers.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-submit-on-change]") && el.form) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print]");
  if (el) { event.preventDefault(); window.print(); }
});
document.addEventListener("click", function (event) {
  var el = event.target;
  if (el.matches && el.matches("input[data-check-all]")) {
    var name = el.getAttribute("data-check-all");
    document.querySelectorAll('input[name="' + name + '"]').forEach(function (c) { c.checked = el.checked; });
  }
});
// The customer picker (kefu.customers.widgets.CustomerPicker): suggest customers in scope as one types.
(function () {
  var timer = null;
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-customer-picker]")) { return; }
    clearTimeout(timer);
    var term = el.value.trim();
    if (term.length < 2) { return; }
    timer = setTimeout(function () {
      fetch(el.getAttribute("data-customer-picker") + "?q=" + encodeURIComponent(term), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : { results: [] }; }).then(function (data) {
        var list = document.getElementById(el.getAttribute("list"));
        if (!list) { return; }
        list.replaceChildren();
        (data.results || []).forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.number;
          option.label = c.number + " " + c.name;
          option.textContent = c.name;
          list.appendChild(option);
        });
      });
    }, 250);
  });
})();
// Screen pop 来电弹屏 (kefu.contacts): poll the pop cursor; a card appears within a poll of the ring.
// The cursor lives in sessionStorage, so a lost connection or a reload catches up on missed pops.
(function () {
  var busy = false;
  function panel() {
    var box = document.getElementById("screen-pop-panel");
    if (!box) {
      box = document.createElement("div");
      box.id = "screen-pop-panel";
      box.className = "position-fixed bottom-0 end-0 p-3";
      box.style.zIndex = 1080; box.style.width = "28rem"; box.style.maxWidth = "100%";
      document.body.appendChild(box);
    }
    return box;
  }
  function show(pop) {
    if (document.querySelector('[data-call-card="' + pop.call + '"]')) { return; }
    fetch(pop.card, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      if (!html) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var card = holder.firstElementChild;
      panel().prepend(card);
      if (window.htmx) { window.htmx.process(card); }
      var first = card.querySelector("#pop-new-notification, [data-candidate], a.btn");
      if (first) { first.focus(); }
    });
  }
  function poll() {
    var el = document.querySelector("[data-screen-pop]");
    if (!el || busy) { return; }
    busy = true;
    var after = sessionStorage.getItem("kefu.pop.cursor") || "0";
    fetch(el.getAttribute("data-screen-pop") + "?after=" + encodeURIComponent(after), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { return; }
      (data.pops || []).forEach(show);
      sessionStorage.setItem("kefu.pop.cursor", String(data.cursor));
    }).catch(function () {}).finally(function () { busy = false; });
  }
  setInterval(poll, 700);
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-pop-close]");
    if (el) { var card = el.closest("[data-call-card]"); if (card) { card.remove(); } }
  });
})();
// Service clocks 服务时钟 (kefu.tickets.clocks): each <time data-clock="working seconds left" data-warn="…">
// ticks every 30 s in working time (the work calendar's periods, fetched once), red when late, amber near due.
(function () {
  var info = null, asked = false;
  function working(from, to) {
    var total = 0;
    info.periods.forEach(function (p) {
      var lo = Math.max(p[0], from), hi = Math.min(p[1], to);
      if (hi > lo) { total += hi - lo; }
    });
    return total / 1000;
  }
  function human(seconds) {
    var minutes = Math.ceil(Math.abs(seconds) / 60), days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60, parts = [];
    if (days) { parts.push(info.texts.d.replace("%(n)d", days)); }
    if (hours) { parts.push(info.texts.h.replace("%(n)d", hours)); }
    if (mins || !parts.length) { parts.push(info.texts.min.replace("%(n)d", mins)); }
    return parts.join(" ");
  }
  function load() {
    asked = true;
    fetch("/api/v1/worktime/periods?days=8", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) { return; }
        info = { texts: data.texts, periods: data.periods.map(function (p) { return [Date.parse(p[0]), Date.parse(p[1])]; }) };
        tick();
      });
  }
  function tick() {
    var els = document.querySelectorAll("time[data-clock]"), now = Date.now();
    if (!els.length) { return; }
    els.forEach(function (el) { if (!el.hasAttribute("data-seen")) { el.setAttribute("data-seen", String(now)); } });
    if (!info) { if (!asked) { load(); } return; }
    els.forEach(function (el) {
      var left = parseInt(el.getAttribute("data-clock"), 10) - working(parseInt(el.getAttribute("data-seen"), 10), now);
      var late = now >= Date.parse(el.getAttribute("datetime"));
      var near = !late && left <= parseInt(el.getAttribute("data-warn") || "0", 10);
      el.className = late ? "text-danger fw-semibold" : near ? "text-warning-emphasis fw-semibold" : "";
      el.textContent = (late ? info.texts.overdue : info.texts.left).replace("%(time)s", human(left));
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 30000);
})();
