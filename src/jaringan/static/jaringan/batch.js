// A running import batch's page: asks how far it has gone every two seconds, and reloads once it ends
// (the report is written by the server). Without JavaScript the page refreshes itself (noscript).
(function () {
  "use strict";
  var section = document.getElementById("batch");
  if (!section || !section.dataset.running) { return; }
  var bar = document.getElementById("batch-bar");
  function poll() {
    fetch(section.dataset.progress, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        if (p.status !== "running") { window.location.reload(); return; }
        if (bar && p.percent !== null) { bar.value = p.percent; }
        // The sentence is the server's (in the reader's language): fetch the page's line afresh.
        return fetch(window.location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); })
          .then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var line = doc.getElementById("batch-line"), here = document.getElementById("batch-line");
            if (line && here) { here.textContent = line.textContent; }
          });
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 2000);
}());
