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
// The one picker (kefu.core.pickers): any field with data-picker. Typing suggests rows in the field's
// datalist; F4 (or Alt+Down on a select) opens a list searched by code, Chinese fragment or pinyin
// initials; Up/Down choose, Enter takes the row's value (a select's option or the code), Esc closes.
(function () {
  var timer = null;
  function fetchRows(url, term) {
    return fetch(url + "&q=" + encodeURIComponent(term), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : { results: [] }; }).then(function (d) { return d.results || []; });
  }
  window.kefuPickerFetch = fetchRows;
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-picker][list]")) { return; }
    clearTimeout(timer);
    var term = el.value.trim();
    if (term.length < 1) { return; }
    timer = setTimeout(function () {
      fetchRows(el.getAttribute("data-picker"), term).then(function (rows) {
        var list = document.getElementById(el.getAttribute("list"));
        if (!list) { return; }
        list.replaceChildren();
        rows.forEach(function (c) {
          var option = document.createElement("option");
          option.value = c.value;
          option.label = c.label;
          option.textContent = c.name;
          list.appendChild(option);
        });
      });
    }, 120);
  });
  var open = null;
  function close(back) {
    if (!open) { return; }
    var field = open.field;
    open.box.remove(); open = null;
    if (back !== false) { field.focus(); }
  }
  function choose(item) {
    var field = open.field;
    field.value = field.getAttribute("data-picker-value") === "code" ? item.getAttribute("data-code") : item.getAttribute("data-value");
    field.dispatchEvent(new Event("change", { bubbles: true }));
    close();
  }
  function render(rows) {
    var list = open.list;
    list.replaceChildren();
    rows.forEach(function (r, i) {
      var item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action py-1" + (i === 0 ? " active" : "");
      item.setAttribute("data-value", r.value);
      item.setAttribute("data-code", r.code);
      item.textContent = r.label;
      list.appendChild(item);
    });
  }
  function openPicker(field) {
    close(false);
    var box = document.createElement("div");
    box.className = "card shadow position-absolute";
    box.setAttribute("data-picker-popup", "");
    box.style.zIndex = 1090; box.style.width = "22rem";
    var rect = field.getBoundingClientRect();
    box.style.left = (window.scrollX + rect.left) + "px";
    box.style.top = (window.scrollY + rect.bottom + 2) + "px";
    var input = document.createElement("input");
    input.className = "form-control form-control-sm";
    input.setAttribute("aria-label", "F4");
    input.value = field.tagName === "SELECT" ? "" : field.value;
    var list = document.createElement("div");
    list.className = "list-group list-group-flush small";
    list.style.maxHeight = "16rem"; list.style.overflowY = "auto";
    box.appendChild(input); box.appendChild(list);
    document.body.appendChild(box);
    open = { field: field, box: box, input: input, list: list };
    var search = function () {
      var mine = open;
      fetchRows(field.getAttribute("data-picker"), input.value.trim()).then(function (rows) {
        if (open === mine) { render(rows); }
      });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 80); });
    input.addEventListener("keydown", function (event) {
      var items = Array.prototype.slice.call(list.children);
      var at = items.findIndex(function (x) { return x.classList.contains("active"); });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!items.length) { return; }
        if (at >= 0) { items[at].classList.remove("active"); }
        at = event.key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
        items[at].classList.add("active"); items[at].scrollIntoView({ block: "nearest" });
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (at >= 0) { choose(items[at]); }
      } else if (event.key === "Escape") {
        event.preventDefault(); close();
      }
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[data-value]");
      if (item) { choose(item); }
    });
    input.focus();
    search();
  }
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-picker]")) { return; }
    if (event.key === "F4" || (event.altKey && event.key === "ArrowDown" && el.tagName === "SELECT")) {
      event.preventDefault();
      openPicker(el);
    }
  });
  document.addEventListener("click", function (event) {
    if (open && !open.box.contains(event.target)) { close(false); }
  });
})();
// Screen pop 来电弹屏 (kefu.contacts). Where the push server runs (data-screen-push, kefu.core.push), a
// server-sent event brings the caller's card the moment a call rings (an event with only an id makes
// the page ask at once); without it (or while it is away) the page asks every 0.7 s. The cursor lives
// in sessionStorage and only the asks move it, so a lost connection or a reload catches up on missed
// pops; a stream that (re)opens asks at once too. Pops shown from the stream are remembered (`seen`),
// so the next ask does not show again a card the agent has closed.
(function () {
  var busy = false, again = false, lastPoll = 0, source = null, pushUrl = "";
  var POLL_MS = 700, PUSHED_POLL_MS = 5000;  // with push open, polls only remove cards colleagues took
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
  function seen() {
    try { return JSON.parse(sessionStorage.getItem("kefu.pop.seen") || "[]"); } catch (e) { return []; }
  }
  function pushed(event) {
    var pop = null;
    try { pop = JSON.parse(event.data); } catch (e) { pop = null; }
    if (!pop || !pop.html) { poll("push"); return; }  // only an id: ask for it
    sessionStorage.setItem("kefu.pop.seen", JSON.stringify(seen().concat([pop.id]).slice(-50)));
    show(pop);
  }
  function show(pop) {
    if (document.querySelector('[data-call-card="' + pop.call + '"]')) { return; }
    var html = pop.html ? Promise.resolve(pop.html)  // the card came with the poll
      : fetch(pop.card, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; });
    html.then(function (html) {
      if (!html) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var card = holder.firstElementChild;
      panel().prepend(card);
      if (window.htmx) { window.htmx.process(card); }
      var first = card.querySelector("#pop-take") || card.querySelector("#pop-new-notification, [data-candidate], a.btn");
      if (first) { first.focus(); }
    });
  }
  function poll(woken) {  // woken: the push server said a pop is waiting (marked on the request)
    var el = document.querySelector("[data-screen-pop]");
    if (!el) { return; }
    if (busy) { again = again || woken || "poll"; return; }  // asked during a poll: once more after it
    busy = true; again = false; lastPoll = Date.now();
    var after = sessionStorage.getItem("kefu.pop.cursor") || "0";
    // The queue cards on screen that can still be taken: the server says which a colleague took.
    var open = Array.prototype.map.call(document.querySelectorAll("[data-call-card] #pop-take"), function (b) {
      return b.closest("[data-call-card]").getAttribute("data-call-card");
    });
    // Pops the stream already brought: the answer lists them without their cards.
    var brought = seen().filter(function (id) { return id > Number(after); });
    var url = el.getAttribute("data-screen-pop") + "?after=" + encodeURIComponent(after) + "&open=" + open.join(",")
      + (brought.length ? "&seen=" + brought.join(",") : "");
    fetch(url + (woken === "push" ? "&woken=1" : ""), {
      credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { return; }
      var shown = seen();
      (data.pops || []).forEach(function (pop) { if (shown.indexOf(pop.id) < 0) { show(pop); } });
      (data.withdrawn || []).forEach(function (id) {  // a colleague took this queue call first
        var gone = document.querySelector('[data-call-card="' + id + '"] #pop-take');
        if (gone) { gone.closest("[data-call-card]").remove(); }
      });
      sessionStorage.setItem("kefu.pop.cursor", String(data.cursor));
      sessionStorage.setItem("kefu.pop.seen", JSON.stringify(seen().filter(function (id) { return id > data.cursor; })));
    }).catch(function () {}).finally(function () { busy = false; if (again) { poll(again); } });
  }
  function listen(el) {
    var url = el.getAttribute("data-screen-push");
    if (!url || !window.EventSource || (source && url === pushUrl)) { return; }
    if (source) { source.close(); }
    pushUrl = url;
    if (url.charAt(0) === ":") { url = location.protocol + "//" + location.hostname + url; }
    source = new EventSource(url, { withCredentials: true });
    source.addEventListener("open", function () { el.setAttribute("data-push", "open"); poll(); });
    source.addEventListener("pop", pushed);
    source.addEventListener("error", function () { el.setAttribute("data-push", "retrying"); });
  }
  function tick() {
    var el = document.querySelector("[data-screen-pop]");
    if (!el) { return; }
    listen(el);
    var pushed = source && source.readyState === 1;
    if (Date.now() - lastPoll >= (pushed ? PUSHED_POLL_MS : POLL_MS)) { poll(); }
  }
  setInterval(tick, POLL_MS);
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-pop-close]");
    if (el) { var card = el.closest("[data-call-card]"); if (card) { card.remove(); } }
  });
})();
// Service clocks 服务时钟 (kefu.tickets.clocks): each <time data-clock="working seconds left" data-warn="…">
// ticks every 30 s in working time (its work calendar's periods, fetched once per calendar: data-calendar,
// else the default calendar), red when late, amber near due.
(function () {
  var infos = {}, asked = {};
  function working(info, from, to) {
    var total = 0;
    info.periods.forEach(function (p) {
      var lo = Math.max(p[0], from), hi = Math.min(p[1], to);
      if (hi > lo) { total += hi - lo; }
    });
    return total / 1000;
  }
  function human(info, seconds) {
    var minutes = Math.ceil(Math.abs(seconds) / 60), days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60), mins = minutes % 60, parts = [];
    if (days) { parts.push(info.texts.d.replace("%(n)d", days)); }
    if (hours) { parts.push(info.texts.h.replace("%(n)d", hours)); }
    if (mins || !parts.length) { parts.push(info.texts.min.replace("%(n)d", mins)); }
    return parts.join(" ");
  }
  function load(key) {
    asked[key] = true;
    var url = "/api/v1/worktime/periods?days=8" + (key ? "&calendar=" + encodeURIComponent(key) : "");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) { return; }
        infos[key] = { texts: data.texts, periods: data.periods.map(function (p) { return [Date.parse(p[0]), Date.parse(p[1])]; }) };
        tick();
      });
  }
  function tick() {
    var els = document.querySelectorAll("time[data-clock]"), now = Date.now();
    if (!els.length) { return; }
    els.forEach(function (el) {
      if (!el.hasAttribute("data-seen")) { el.setAttribute("data-seen", String(now)); }
      var key = el.getAttribute("data-calendar") || "", info = infos[key];
      if (!info) { if (!asked[key]) { load(key); } return; }
      var left = parseInt(el.getAttribute("data-clock"), 10) - working(info, parseInt(el.getAttribute("data-seen"), 10), now);
      var late = now >= Date.parse(el.getAttribute("datetime"));
      var near = !late && left <= parseInt(el.getAttribute("data-warn") || "0", 10);
      el.className = late ? "text-danger fw-semibold" : near ? "text-warning-emphasis fw-semibold" : "";
      el.textContent = (late ? info.texts.overdue : info.texts.left).replace("%(time)s", human(info, left));
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 30000);
})();
