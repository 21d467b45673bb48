// Progressive map: the page already shows a plain SVG map of the points over the base map that
// ships with the hub. Only when map tiles are configured AND one of them loads is Leaflet fetched
// (about 170 KB) and a tiled map put in its place; offline, or on a closed network, nothing more
// is downloaded and the plain map stays.
(function () {
  function load(box, done) {
    if (typeof L !== "undefined") return done();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = box.dataset.leafletJs;
    js.onload = done;
    document.head.appendChild(js);
  }

  function tiled(box, points) {
    var holder = document.createElement("div");
    holder.className = "map";
    box.parentNode.insertBefore(holder, box.nextSibling);
    box.style.display = "none";
    // Leaflet guesses where its marker images are from its style sheet, and guesses wrong while that sheet is
    // still loading: say it (beside leaflet.js, in images/).
    L.Icon.Default.imagePath = box.dataset.leafletJs.replace(/[^/]*$/, "") + "images/";
    var map = L.map(holder, { scrollWheelZoom: false });
    var bounds = [];
    points.forEach(function (p) {
      var m = L.marker([p.lat, p.lon]).addTo(map);
      var a = document.createElement("a");
      a.href = "/libraries/" + encodeURIComponent(p.code) + "/";
      a.textContent = p.name;
      m.bindPopup(a);
      bounds.push([p.lat, p.lon]);
    });
    L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution }).addTo(map);
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  }

  document.querySelectorAll("[data-map]").forEach(function (box) {
    if (!box.dataset.tiles) return;
    var points = JSON.parse(document.getElementById(box.dataset.map).textContent);
    if (!points.length) return;
    // One tile over the archipelago (zoom 4) says whether tiles can be reached from here.
    var probe = new Image();
    probe.onload = function () { load(box, function () { tiled(box, points); }); };
    probe.src = box.dataset.tiles.replace("{s}", "a").replace("{z}", "4").replace("{x}", "13").replace("{y}", "7");
  });
})();
