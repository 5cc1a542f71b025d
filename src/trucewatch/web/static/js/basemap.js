// The offline basemap shared by every map: Natural Earth outlines of every country, with
// the admin-1 units of the countries in view drawn thinly inside once the map is zoomed in
// (each country's file, named in its feature's "admin1", fetched once, on demand), in a
// pane under the tile pane, so that a tile layer (TRUCEWATCH_TILE_URL) covers them.
"use strict";
window.tw.basemap = function (map, node) {
  map.createPane("basemap").style.zIndex = 150;
  map.attributionControl.setPrefix(false);
  const base = new URL(node.dataset.basemap, window.location.href);
  const draw = (url, style) => fetch(url).then((r) => r.json()).then((outlines) =>
    L.geoJSON(outlines, { pane: "basemap", interactive: false, style }).addTo(map));
  const admin1 = { color: "#b3bcc2", weight: 0.7, dashArray: "2 3", fill: false, className: "admin1" };
  const loaded = new Set();
  let countries = [];
  // Admin-1 units only from zoom 5 (a region), for the countries whose box is in view.
  const showUnits = () => {
    if (map.getZoom() < 5) return Promise.resolve();
    const view = map.getBounds();
    return Promise.all(countries.filter((f) => f.properties.admin1 && !loaded.has(f.properties.admin1)
      && view.intersects([[f.bbox[1], f.bbox[0]], [f.bbox[3], f.bbox[2]]]))
      .map((f) => { loaded.add(f.properties.admin1); return draw(new URL(f.properties.admin1, base), admin1); }));
  };
  draw(base, { color: "#8d9ba4", weight: 1.2, fillColor: "#f3f0e8", fillOpacity: 1, className: "country" })
    .then((layer) => { countries = layer.getLayers().map((l) => l.feature); })
    .then(showUnits)
    .then(() => { node.dataset.basemapReady = "1"; map.on("moveend", showUnits); });
  map.attributionControl.addAttribution("Outlines: Natural Earth");
  if (node.dataset.tileUrl) L.tileLayer(node.dataset.tileUrl, { maxZoom: 18, opacity: 0.9 }).addTo(map);
};
