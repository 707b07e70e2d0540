/* Portal map: streets (points and shapes) and clustered shop markers from the portal's GeoJSON.
   The page reads fine without it: every street and shop is also listed as links. */
(function () {
  "use strict";
  var el = document.getElementById("portal-map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { scrollWheelZoom: false, keyboard: true, maxZoom: 19 }).setView([35.7356, 139.6517], 13);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
  var shapes = L.layerGroup().addTo(map);
  map.addLayer(clusters);
  var fitted = false;
  function link(p) {
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    return a;
  }
  function load() {
    var url = el.dataset.url;
    if (el.dataset.bbox && fitted) {
      var b = map.getBounds();
      url += (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(5); }).join(",");
    }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (data) {
        clusters.clearLayers();
        shapes.clearLayers();
        var bounds = [];
        data.features.forEach(function (f) {
          var p = f.properties || {};
          if (!f.geometry) { return; }
          if (f.geometry.type === "Point") {
            var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
            bounds.push(ll);
            var marker = L.marker(ll, { title: p.name, alt: p.name, keyboard: true }).bindPopup(link(p));
            if (p.kind === "street") { marker.addTo(shapes); } else { clusters.addLayer(marker); }
          } else {
            try { L.geoJSON(f, { style: { color: "#0b5cad", weight: 5 } }).bindPopup(link(p)).addTo(shapes); } catch (e) { /* a bad shape never breaks the map */ }
          }
        });
        if (!fitted && bounds.length) {
          map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
        }
        fitted = true;
        el.setAttribute("data-loaded", String(data.features.length));
      })
      .catch(function () { el.setAttribute("data-loaded", "error"); });
  }
  load();
  if (el.dataset.bbox) { map.on("moveend", function () { if (fitted) { load(); } }); }
})();
