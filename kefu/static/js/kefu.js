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
