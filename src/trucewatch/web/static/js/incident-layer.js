// The dashboard map's incidents at any zoom: /api/map answers, for the viewport and the
// filters, either each incident (when few) or counts per grid cell computed by the
// database. A cell of one incident is drawn as that incident; a larger one as a circle
// with its count, coloured by its share of violations; clicking it zooms in, or, when
// its incidents share one place, lists them.
"use strict";
window.tw.incidentLayer = function (map, options) {
  const { api, el, verdictColour, when } = window.tw;
  const layer = L.layerGroup().addTo(map);
  const node = map.getContainer();
  let generation = 0;
  let lastFilters = new URLSearchParams();

  const clamp = (value, low, high) => Math.min(high, Math.max(low, value));
  const abbreviate = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k`
    : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));

  function marker(id, lat, lon, verdict, popup) {
    L.circleMarker([lat, lon], {
      pane: "incidents", radius: 7, color: "#fff", weight: 1.5,
      fillColor: verdictColour(verdict), fillOpacity: 0.95,
      className: `incident-marker incident-${id}`,
    }).bindPopup(popup).addTo(layer);
  }

  function pointPopup(p) {
    return () => el("div", { class: "popup" },
      el("a", { href: `/incidents/${p.id}` }, `${p.event_type}, ${p.location_name || "unnamed place"}`),
      el("div", {}, `${when(p.event_date, p.date_precision)} · killed ${p.killed_best ?? "unknown"}`),
      el("span", { class: "verdict", dataset: { verdict: p.verdict || "none" } }, p.verdict || "not assessed"));
  }

  function cluster(cell) {
    const share = cell.violations / cell.count;
    const size = Math.round(28 + 9 * Math.log10(cell.count));
    const kind = share >= 0.5 ? "most" : share > 0 ? "some" : "none";
    const icon = L.divIcon({
      className: `cluster cluster-${kind}`, iconSize: [size, size],
      html: el("span", { class: "cluster-count", dataset: { count: cell.count, violations: cell.violations } },
        abbreviate(cell.count)),
    });
    L.marker([cell.lat, cell.lon], {
      icon, pane: "incidents", title: `${cell.count} incidents, ${cell.violations} of them violations or probable violations`,
    }).on("click", () => open(cell)).addTo(layer);
  }

  function open(cell) {
    const onePlace = cell.north - cell.south < 1e-6 && cell.east - cell.west < 1e-6;
    if (!onePlace && map.getZoom() < map.getMaxZoom() - 1) {
      map.fitBounds([[cell.south, cell.west], [cell.north, cell.east]], { padding: [30, 30], maxZoom: 15 });
      return;
    }
    // One place (or as close as the map goes): zooming cannot split them; list them.
    const pad = 1e-4;
    options.onPlace([cell.west - pad, cell.south - pad, cell.east + pad, cell.north + pad], cell.count);
  }

  const VIOLATIONS = ["violation", "probable violation"];

  function draw(answer) {
    layer.clearLayers();
    // Incidents at the very same point (a town, as datasets place most events) would hide
    // one another: they are drawn as one circle with their count.
    const atPoint = new Map();
    for (const p of answer.points) {
      const key = `${p.lat},${p.lon}`;
      if (!atPoint.has(key)) atPoint.set(key, []);
      atPoint.get(key).push(p);
    }
    for (const group of atPoint.values()) {
      const p = group[0];
      if (group.length === 1) marker(p.id, p.lat, p.lon, p.verdict, pointPopup(p));
      else {
        cluster({ lat: p.lat, lon: p.lon, count: group.length, south: p.lat, north: p.lat, west: p.lon, east: p.lon,
          violations: group.filter((g) => VIOLATIONS.includes(g.verdict)).length });
      }
    }
    for (const cell of answer.cells) {
      if (cell.count === 1) {
        marker(cell.incident_id, cell.lat, cell.lon, cell.verdict, () => el("div", { class: "popup" },
          el("a", { href: `/incidents/${cell.incident_id}` }, `Incident ${cell.incident_id}`), " ",
          el("span", { class: "verdict", dataset: { verdict: cell.verdict || "none" } }, cell.verdict || "not assessed")));
      } else {
        cluster(cell);
      }
    }
  }

  // The filters of the view (the list's place filter aside: the map is how one moves).
  async function load(filters) {
    if (filters) lastFilters = new URLSearchParams(filters);
    const mine = ++generation;
    const params = new URLSearchParams(lastFilters);
    for (const name of ["bbox", "sort", "page"]) params.delete(name);
    const box = map.getBounds().pad(0.2);
    params.set("bbox", [clamp(box.getWest(), -180, 180), clamp(box.getSouth(), -90, 90),
      clamp(box.getEast(), -180, 180), clamp(box.getNorth(), -90, 90)].map((n) => n.toFixed(4)).join(","));
    params.set("zoom", String(clamp(Math.round(map.getZoom()), 0, 22)));
    params.set("max_points", "500"); // more than that as single markers slows the page
    const answer = await api("GET", `/api/map?${params}`);
    if (mine !== generation) return null;
    draw(answer);
    node.dataset.mapReady = String(mine); // lets the browser tests wait for a map draw
    return answer;
  }

  map.on("moveend", () => load().catch(options.onError));
  return { load };
};
