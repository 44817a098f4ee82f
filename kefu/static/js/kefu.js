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
