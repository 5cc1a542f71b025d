// The offline basemap shared by every map: Natural Earth country outlines with the
// governorates (admin-1) drawn thinly inside, in a pane under the tile pane, so that a
// tile layer (TRUCEWATCH_TILE_URL) covers them when one is set.
"use strict";
window.tw.basemap = function (map, node) {
  map.createPane("basemap").style.zIndex = 150;
  map.attributionControl.setPrefix(false);
  const draw = (url, style) => fetch(url).then((r) => r.json()).then((outlines) =>
    L.geoJSON(outlines, { pane: "basemap", interactive: false, style }).addTo(map));
  draw(node.dataset.basemap,
    { color: "#8d9ba4", weight: 1.2, fillColor: "#f3f0e8", fillOpacity: 1, className: "country" })
    .then(() => draw(node.dataset.admin1,
      { color: "#b3bcc2", weight: 0.7, dashArray: "2 3", fill: false, className: "admin1" }))
    .then(() => { node.dataset.basemapReady = "1"; });
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, { maxZoom: 18, opacity: 0.9 }).addTo(map);
};
