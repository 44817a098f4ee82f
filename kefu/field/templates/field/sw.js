// Kefu field service worker {{ version }}: the app shell and the day's job pages stay readable
// offline (network first, the last copy when there is no network). Writes are never cached:
// the app queues them itself and syncs them with version checks.
const CACHE = "kefu-{{ version }}";
const SHELL = {{ shell|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("kefu-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The app asks for the day's pages to be kept (its own page and every job of today's list).
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.cache) || [];
  const own = urls.filter((u) => typeof u === "string" && u.startsWith("/field/"));
  // One page after the other: the phone's link is slow, and the server sees one request at a time.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      own.reduce((done, u) => done.then(() => fetch(u, { credentials: "same-origin" })
        .then((r) => (r.ok && !r.redirected ? cache.put(u, r) : null)).catch(() => null)), Promise.resolve()))
  );
});

function cacheable(url) {
  return url.origin === self.location.origin &&
    (url.pathname.startsWith("/field/") || url.pathname.startsWith("/static/field/") ||
     url.pathname.startsWith("/api/v1/field/today") || url.pathname.startsWith("/api/v1/field/jobs/"));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && !response.redirected) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: false }).then((hit) => hit || caches.match("/field/")))
  );
});
