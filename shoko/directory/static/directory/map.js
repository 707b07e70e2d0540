/* Staff map: streets (with their shapes), shops and vacant shops from map.geojson, clustered.
   Works without tiles: when no tile URL is set the markers show on a plain background. */
(function () {
  "use strict";
  var el = document.getElementById("directory-map");
  if (!el || !window.L) { return; }
  // maxZoom on the map itself: clustering needs it when no tile layer supplies one.
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 19 }).setView([35.7356, 139.6517], 13);
  var tiles = el.dataset.tileUrl;
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var colours = { street: "#24527a", shop: "#1e6b34", vacant: "#b3261e" };
  var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
  var shapes = L.layerGroup().addTo(map);
  fetch(el.dataset.url, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.features.forEach(function (f) {
        var p = f.properties;
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.name;
        if (f.geometry.type === "Point") {
          var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          bounds.push(ll);
          var marker = L.circleMarker(ll, {
            radius: p.kind === "street" ? 9 : 6, color: colours[p.kind], weight: 2,
            fillOpacity: p.kind === "shop" && !p.published ? 0.2 : 0.7
          }).bindPopup(link);
          marker.options.title = p.name;
          clusters.addLayer(marker);
        } else {
          L.geoJSON(f, { style: { color: colours.street, weight: 4 } }).bindPopup(link).addTo(shapes);
        }
      });
      map.addLayer(clusters);
      if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
      el.setAttribute("data-loaded", String(data.features.length));
    })
    .catch(function () {
      // The table below the map lists the same places; say the map could not load.
      el.setAttribute("data-error", "1");
      el.classList.add("map-failed");
    });
})();
