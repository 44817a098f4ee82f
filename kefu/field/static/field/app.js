// Kefu field service app: registers the service worker, keeps the day's jobs cached, and queues
// the technician's steps in localStorage so what he records offline is synced later, each step
// with the job version he saw (a conflict is shown to him; nothing is lost or overwritten).
(function () {
  "use strict";
  var QUEUE_KEY = "kefu.field.queue";
  var body = document.body;

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : (meta ? meta.content : "");
  }
  function load() { try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QUEUE_KEY, JSON.stringify(q)); render(); }
  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // --- network state -----------------------------------------------------------------
  function showNet() {
    var el = document.getElementById("net");
    if (!el) return;
    el.textContent = navigator.onLine ? el.dataset.online : el.dataset.offline;
    el.classList.toggle("off", !navigator.onLine);
  }
  window.addEventListener("online", function () { showNet(); sync(); });
  window.addEventListener("offline", showNet);

  // --- the queue, shown ----------------------------------------------------------------
  function render() {
    var q = load();
    var count = document.getElementById("queue-count");
    if (count) { count.hidden = q.length === 0; count.textContent = q.length + " " + count.dataset.label; }
    var jobEl = document.getElementById("job");
    var pending = document.getElementById("pending");
    if (jobEl && pending) {
      pending.textContent = "";
      q.filter(function (s) { return String(s.job) === jobEl.dataset.job; }).forEach(function (s) {
        var li = document.createElement("li");
        li.className = s.state || "queued";
        li.dataset.client = s.client_id;
        li.textContent = "… " + s.label + " · " + (s.state === "queued" || !s.state ? pending.dataset.queued : s.message || s.state);
        pending.appendChild(li);
      });
    }
    var box = document.getElementById("conflicts");
    if (!box) return;
    var bad = q.filter(function (s) { return s.state === "conflict" || s.state === "error"; });
    box.hidden = bad.length === 0;
    box.textContent = "";
    bad.forEach(function (s) {
      var p = document.createElement("p");
      p.className = "conflict-item";
      p.textContent = (s.state === "conflict" ? box.dataset.title : box.dataset.error + ": " + (s.message || "")) +
        " — " + (s.number || s.job) + " · " + s.label;
      box.appendChild(p);
      if (s.state === "conflict") {
        var apply = document.createElement("button");
        apply.type = "button"; apply.className = "small"; apply.textContent = box.dataset.apply;
        apply.addEventListener("click", function () { rebaseOnCurrent(s.client_id); });
        box.appendChild(apply);
      }
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "small"; drop.textContent = box.dataset.discard;
      drop.addEventListener("click", function () { save(load().filter(function (x) { return x.client_id !== s.client_id; })); });
      box.appendChild(drop);
    });
  }

  // After one of his own steps is synced, his later queued steps of the same job were made on
  // the version that step replaced: they move on with it (his own chain, not someone's change).
  function chain(q, job, from, to) {
    q.forEach(function (s) { if (s.job === job && s.base_version === from && !s.state) s.base_version = to; });
    var jobEl = document.getElementById("job");
    if (jobEl && jobEl.dataset.job === String(job)) jobEl.dataset.version = String(to);
    var row = document.querySelector('.job[data-job="' + job + '"]');
    if (row) row.dataset.version = String(to);
  }

  function rebaseOnCurrent(clientId) {
    var q = load();
    var step = q.find(function (s) { return s.client_id === clientId; });
    if (!step) return;
    fetch("/api/v1/field/jobs/" + step.job, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        var fresh = load();
        fresh.forEach(function (s) { if (s.client_id === clientId) { s.base_version = job.version; delete s.state; delete s.message; } });
        save(fresh);
        sync();
      })
      .catch(function () { /* offline: try again later */ });
  }

  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var q = load();
    var next = q.find(function (s) { return !s.state; });
    if (!next) { syncing = false; return Promise.resolve(); }
    var payload = Object.assign({ kind: next.kind, client_id: next.client_id, base_version: next.base_version,
      recorded_at: next.recorded_at }, next.data);
    return fetch("/api/v1/field/jobs/" + next.job + "/steps", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        var fresh = load();
        if (response.status === 200 || response.status === 201) {
          fresh = fresh.filter(function (s) { return s.client_id !== next.client_id; });
          chain(fresh, next.job, next.base_version, data.version);
          markDone(next, data);
        } else {
          fresh.forEach(function (s) {
            if (s.client_id !== next.client_id) return;
            s.state = response.status === 409 ? "conflict" : "error";
            var err = data && data.error ? data.error : {};
            var fields = err.fields ? Object.keys(err.fields).map(function (k) { return err.fields[k].join(" "); }).join(" ") : "";
            s.message = ((err.message || String(response.status)) + " " + fields).trim();
          });
        }
        save(fresh);
        syncing = false;
        return sync();
      });
    }).catch(function () { syncing = false; });  // network gone: the step stays queued
  }

  function markDone(step, data) {
    var done = document.getElementById("done");
    var jobEl = document.getElementById("job");
    if (!done || !jobEl || jobEl.dataset.job !== String(step.job)) return;
    var li = document.createElement("li");
    li.textContent = "✓ " + (data.kind_label || step.label);
    done.appendChild(li);
  }

  function enqueue(kind, label, data) {
    var jobEl = document.getElementById("job");
    var q = load();
    var job = Number(jobEl.dataset.job);
    q.push({ client_id: uid(), job: job, number: jobEl.dataset.number, kind: kind, label: label,
      base_version: Number(jobEl.dataset.version), recorded_at: new Date().toISOString(), data: data });
    save(q);
    sync();
  }

  // --- photos: downscaled in the browser before they are queued -------------------------
  var MAX_SIDE = 1280;
  var photoData = null;
  function readPhoto(input) {
    var file = input.files && input.files[0];
    photoData = null;
    if (!file) return;
    var img = new Image();
    var url = URL.createObjectURL(file);
    img.onload = function () {
      var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
      var canvas = document.getElementById("photo-preview");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      canvas.hidden = false;
      photoData = canvas.toDataURL("image/jpeg", 0.8);
      URL.revokeObjectURL(url);
    };
    img.src = url;
  }

  // --- the signature pad ------------------------------------------------------------
  var signed = false;
  function signaturePad(canvas) {
    var ctx = canvas.getContext("2d");
    function fit() {
      var w = canvas.clientWidth || 300, h = canvas.clientHeight || 160;
      canvas.width = w * 2; canvas.height = h * 2;
      ctx.scale(2, 2); ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#000";
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
      signed = false;
    }
    fit();
    var drawing = false;
    function pos(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; canvas.setPointerCapture(e.pointerId); var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); });
    canvas.addEventListener("pointermove", function (e) { if (!drawing) return; var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); signed = true; });
    canvas.addEventListener("pointerup", function () { drawing = false; });
    canvas.addEventListener("pointercancel", function () { drawing = false; });
    var clear = document.getElementById("sign-clear");
    if (clear) clear.addEventListener("click", fit);
    var details = canvas.closest("details");
    if (details) details.addEventListener("toggle", function () { if (details.open) fit(); });
  }

  // --- wiring -----------------------------------------------------------------------------
  document.querySelectorAll("form.step").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var kind = form.dataset.kind;
      var label = (form.closest("details") ? form.closest("details").querySelector("summary").textContent : form.textContent).trim();
      var data = {};
      ["result", "work_done", "materials_used", "caption", "signer"].forEach(function (name) {
        if (form.elements[name]) data[name] = form.elements[name].value;
      });
      if (kind === "photo") {
        if (!photoData) return;
        data.image = photoData;
      }
      if (kind === "sign") {
        if (!signed) { document.getElementById("sign-empty").hidden = false; return; }
        data.image = document.getElementById("signature").toDataURL("image/png");
      }
      enqueue(kind, label, data);
      form.reset();
      if (form.closest("details")) form.closest("details").open = false;
    });
  });
  var photo = document.getElementById("f-photo");
  if (photo) photo.addEventListener("change", function () { readPhoto(photo); });
  var sig = document.getElementById("signature");
  if (sig) signaturePad(sig);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(function () {});
    // The day's job pages (and this page) go into the worker's cache, readable offline.
    navigator.serviceWorker.ready.then(function (reg) {
      if (!navigator.onLine || !reg.active) return;
      var urls = [location.pathname + location.search];
      document.querySelectorAll(".job-link").forEach(function (a) { urls.push(a.getAttribute("href")); });
      reg.active.postMessage({ cache: urls });
    });
  }
  showNet();
  render();
  sync();
  setInterval(sync, 30000);
})();
