// Where MAP_TILE_URL is set: the same markers as the inline SVG map, on a Leaflet map with
// those tiles. Without this script (or Leaflet), the SVG map stays as it is.
(function () {
  "use strict";
  if (!window.L) return;
  document.querySelectorAll("[data-groups-map]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-groups-map"));
    var box = figure.querySelector(".groups-map__leaflet");
    if (!source || !box) return;
    var data = JSON.parse(source.textContent);
    box.hidden = false;
    figure.classList.add("groups-map--tiled");
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
    var points = [];
    data.markers.forEach(function (place) {
      var link = document.createElement("a");
      link.href = place.url;
      link.textContent = place.name;
      L.marker([place.lat, place.lon], {
        title: place.name,
        alt: place.name,
        icon: L.divIcon({ className: "groups-map__pin", iconSize: [18, 18] }),
      })
        .bindPopup(link)
        .addTo(map);
      points.push([place.lat, place.lon]);
    });
    if (data.here) {
      L.marker([data.here.lat, data.here.lon], {
        title: data.here.name,
        alt: data.here.name,
        keyboard: false,
        icon: L.divIcon({ className: "groups-map__pin groups-map__pin--here", iconSize: [16, 16] }),
      }).addTo(map);
      points.push([data.here.lat, data.here.lon]);
    }
    if (points.length) {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 11 });
    } else {
      map.setView([54.5, -3.5], 5);
    }
  });
})();
