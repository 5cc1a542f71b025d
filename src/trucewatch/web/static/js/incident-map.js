// The incident page's small map: the place, coloured by verdict, over the zones as they
// stood on the incident's day (every version when the day is unknown).
"use strict";
(function () {
  const { api, el, verdictColour } = window.tw;
  const node = document.getElementById("incident-map");
  const point = [Number(node.dataset.lat), Number(node.dataset.lon)];
  const map = L.map(node, { zoomSnap: 0.25 }).setView(point, 9);
  window.tw.basemap(map, node);
  const day = node.dataset.day;
  api("GET", day ? `/api/zones?on=${encodeURIComponent(day)}` : "/api/zones").then((zones) => {
    L.geoJSON(zones, {
      style: (f) => ({ color: f.properties.status === "disputed" ? "#c62828" : "#1565c0", weight: 2,
        fillOpacity: 0.1, dashArray: f.properties.status === "agreed" ? null : "6 4", className: "zone-shape" }),
      onEachFeature: (f, layer) => layer.bindTooltip(el("span", {},
        `${f.properties.name}: ${f.properties.status} boundary`), { sticky: true }),
    }).addTo(map);
    L.circleMarker(point, { radius: 8, color: "#fff", weight: 2, fillColor: verdictColour(node.dataset.verdict),
      fillOpacity: 0.95, className: "incident-marker" }).addTo(map);
    node.dataset.ready = "1";
  });
})();
