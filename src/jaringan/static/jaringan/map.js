// Progressive map: the page already shows a plain SVG map of the points.
// When Leaflet is here and map tiles load, a tiled map takes its place;
// when tiles are unreachable (offline, closed network) the SVG stays.
(function () {
  document.querySelectorAll("[data-map]").forEach(function (box) {
    if (typeof L === "undefined" || !box.dataset.tiles) return;
    var points = JSON.parse(document.getElementById(box.dataset.map).textContent);
    if (!points.length) return;
    var holder = document.createElement("div");
    holder.className = "map";
    holder.style.display = "none";
    box.parentNode.insertBefore(holder, box.nextSibling);
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
    var shown = false;
    var tiles = L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: box.dataset.attribution });
    tiles.on("tileload", function () {
      if (shown) return;
      shown = true;
      box.style.display = "none";
      holder.style.display = "block";
      map.invalidateSize();
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
    });
    tiles.addTo(map);
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
  });
})();
