// The zone page's map: every boundary version of one zone, agreed solid, draft dashed,
// disputed red, over the offline outlines.
"use strict";
(function () {
  const { api, el } = window.tw;
  const node = document.getElementById("zone-map");
  const map = L.map(node, { zoomSnap: 0.25 }).setView([35.0, 38.3], 6.5);
  window.tw.basemap(map, node);
  const COLOURS = { agreed: "#2e7d32", draft: "#ef6c00", disputed: "#c62828" };
  api("GET", `/api/zones/${encodeURIComponent(node.dataset.zone)}`).then((collection) => {
    const layer = L.geoJSON(collection, {
      style: (f) => ({ color: COLOURS[f.properties.status] || "#555", weight: 2, fillOpacity: 0.08,
        dashArray: f.properties.status === "agreed" ? null : "6 4", className: "zone-shape" }),
      onEachFeature: (f, l) => l.bindTooltip(el("span", {},
        `${f.properties.status}, ${f.properties.valid_from} to ${f.properties.valid_to || "open"}`), { sticky: true }),
    }).addTo(map);
    if (layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 9 });
    node.dataset.ready = "1";
  });
})();
