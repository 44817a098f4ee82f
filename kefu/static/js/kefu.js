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
      var first = card.querySelector("#pop-take") || card.querySelector("#pop-new-notification, [data-candidate], a.btn");
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
      (data.withdrawn || []).forEach(function (id) {  // a colleague took this queue call first
        var gone = document.querySelector('[data-call-card="' + id + '"] #pop-take');
        if (gone) { gone.closest("[data-call-card]").remove(); }
      });
      sessionStorage.setItem("kefu.pop.cursor", String(data.cursor));
    }).catch(function () {}).finally(function () { busy = false; });
  }
  setInterval(poll, 700);
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-pop-close]");
    if (el) { var card = el.closest("[data-call-card]"); if (card) { card.remove(); } }
  });
})();
