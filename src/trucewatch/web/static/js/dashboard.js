// The dashboard: one set of filters drives the map (zones as they stood on a day,
// incidents coloured by verdict), the timeline (violations per day and zone) and the
// incident list. Filters live in the page's query string, so a view can be bookmarked.
"use strict";
(function () {
  const { api, el, svg, verdictColour } = window.tw;
  const form = document.getElementById("filters");
  const mapNode = document.getElementById("map");
  const FILTERS = ["zone", "event_type", "verdict", "date_from", "date_to", "review_status"];
  const PALETTE = ["#1565c0", "#00897b", "#8e24aa", "#f9a825", "#d81b60", "#5d4037", "#3949ab", "#7cb342"];
  const zoneIds = [...form.elements.zone.options].map((o) => o.value).filter(Boolean);
  const zoneName = Object.fromEntries([...form.elements.zone.options].map((o) => [o.value, o.textContent]));
  const zoneColour = (id) => PALETTE[Math.max(0, zoneIds.indexOf(id)) % PALETTE.length];

  // --- map -----------------------------------------------------------------------------
  const SYRIA = [[32.3, 35.6], [37.4, 42.4]];
  const map = L.map(mapNode, { zoomSnap: 0.25, attributionControl: true }).fitBounds(SYRIA);
  map.createPane("incidents").style.zIndex = 450; // over the zones (overlayPane, 400)
  window.tw.basemap(map, mapNode);
  const zoneLayer = L.layerGroup().addTo(map);
  const incidentLayer = L.layerGroup().addTo(map);

  function drawZones(collection, selected) {
    zoneLayer.clearLayers();
    L.geoJSON(collection, {
      style: (feature) => {
        const p = feature.properties;
        const dim = selected && p.zone !== selected;
        return {
          color: p.status === "disputed" ? "#c62828" : zoneColour(p.zone),
          weight: selected && !dim ? 3 : 2,
          dashArray: p.status === "agreed" ? null : "6 4",
          fillColor: zoneColour(p.zone), fillOpacity: dim ? 0.04 : 0.15, opacity: dim ? 0.4 : 0.9,
          className: `zone-shape zone-${p.zone} zone-${p.status}`,
        };
      },
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        layer.bindTooltip(el("div", {}, el("strong", {}, p.name), el("br"),
          `${p.status} boundary, ${p.valid_from} to ${p.valid_to || "open"}${p.approximate ? " (approximate)" : ""}`),
          { sticky: true });
        layer.bindPopup(() => el("div", {}, el("a", { href: `/zones/${encodeURIComponent(p.zone)}` }, p.name),
          el("div", {}, `${p.status} from ${p.valid_from}`)));
      },
    }).addTo(zoneLayer);
  }

  function drawIncidents(incidents) {
    incidentLayer.clearLayers();
    for (const incident of incidents) {
      const place = incident.location;
      if (!place || place.lat === null || place.lon === null) continue;
      L.circleMarker([place.lat, place.lon], {
        pane: "incidents", radius: 7, color: "#fff", weight: 1.5,
        fillColor: verdictColour(incident.verdict), fillOpacity: 0.95,
        className: `incident-marker incident-${incident.id}`,
      }).bindPopup(() => el("div", { class: "popup" },
        el("a", { href: `/incidents/${incident.id}` }, `${incident.event_type}, ${place.name}`),
        el("div", {}, `${incident.event_date || "date unknown"} · killed ${toll(incident.killed)}`),
        el("span", { class: "verdict", dataset: { verdict: incident.verdict || "none" } }, incident.verdict || "not assessed"),
      )).addTo(incidentLayer);
    }
  }

  const legend = document.getElementById("legend");
  for (const verdict of ["violation", "probable violation", "not a violation", "outside every zone", "undetermined"]) {
    legend.append(el("span", {}, el("span", { class: "swatch", dataset: { verdict } }), verdict));
  }
  legend.append(el("span", {}, "— agreed boundary, - - draft or disputed (red)"));

  // --- timeline ------------------------------------------------------------------------
  const DAY = 86400000;
  const parseDay = (text) => Date.parse(text + "T00:00:00Z");
  const formatDay = (ms) => new Date(ms).toISOString().slice(0, 10);

  function drawTimeline(rows, from, to) {
    const node = document.getElementById("timeline");
    node.replaceChildren();
    const width = 560, height = 200, left = 30, right = 10, top = 10, bottom = 22;
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "violations per day and zone" });
    node.append(chart);
    const days = rows.map((r) => parseDay(r.date));
    const start = from ? parseDay(from) : Math.min(...days);
    const end = to ? parseDay(to) : Math.max(...days);
    if (!rows.length || !Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" },
        "No violations for these filters"));
      return;
    }
    const perDay = new Map();
    for (const row of rows) {
      const list = perDay.get(row.date) || [];
      list.push(row);
      perDay.set(row.date, list);
    }
    // Bars side by side, one per zone: zones overlap (a governorate and the area inside
    // it), so an incident may count in two of them and stacking would add it twice.
    const most = Math.max(1, ...rows.map((r) => r.violations + r.probable_violations));
    const span = Math.round((end - start) / DAY) + 1;
    const step = (width - left - right) / span;
    const group = Math.max(1, Math.min(48, step * 0.85));
    const y = (count) => top + (height - top - bottom) * (1 - count / most);
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#999" }));
    chart.append(svg("text", { x: left - 4, y: y(most) + 4, "text-anchor": "end", class: "axis" }, most));
    chart.append(svg("text", { x: left - 4, y: y(0), "text-anchor": "end", class: "axis" }, 0));
    for (const [day, list] of perDay) {
      const x0 = left + ((parseDay(day) - start) / DAY) * step + (step - group) / 2;
      const barWidth = group / list.length;
      list.sort((a, b) => zoneIds.indexOf(a.zone) - zoneIds.indexOf(b.zone)).forEach((row, i) => {
        const count = row.violations + row.probable_violations;
        const bar = svg("rect", {
          x: x0 + i * barWidth, width: Math.max(1, barWidth - 1), y: y(count), height: y(0) - y(count),
          fill: zoneColour(row.zone), class: "bar", "data-day": day, "data-zone": row.zone,
        }, svg("title", {}, `${day} · ${zoneName[row.zone] || row.zone}: ${row.violations} violation(s), ${row.probable_violations} probable`));
        bar.addEventListener("click", () => { form.elements.on.value = day; refresh(); });
        chart.append(bar);
      });
    }
    const ticks = Math.min(span, 6);
    for (let i = 0; i < ticks; i++) {
      const ms = start + Math.round((i * (span - 1)) / Math.max(1, ticks - 1)) * DAY;
      const x = left + ((ms - start) / DAY) * step + step / 2;
      chart.append(svg("text", { x, y: height - bottom + 14, "text-anchor": "middle", class: "axis" }, formatDay(ms)));
    }
    const key = el("div", { class: "legend" });
    for (const zone of [...new Set(rows.map((r) => r.zone))]) {
      key.append(el("span", {}, el("span", { class: "swatch", style: `background:${zoneColour(zone)}` }),
        zoneName[zone] || zone));
    }
    node.append(key, el("p", { class: "hint" }, "Click a bar to draw the zones as they stood that day."));
  }

  // --- list ----------------------------------------------------------------------------
  function toll(t) {
    if (!t || (t.best === null && t.low === null && t.high === null)) return "unknown";
    if (t.low === t.high) return String(t.best);
    return `${t.best ?? "?"} (${t.low ?? "?"}–${t.high ?? "?"})`;
  }

  function drawList(page) {
    document.getElementById("count").textContent =
      page.count > page.data.length ? `${page.data.length} of ${page.count}` : `${page.count}`;
    const rows = page.data.map((i) => el("tr", { dataset: { id: i.id } },
      el("td", {}, el("a", { href: `/incidents/${i.id}` }, i.event_date || "unknown")),
      el("td", {}, i.event_type),
      el("td", {}, i.location ? i.location.name : "unknown"),
      el("td", {}, i.perpetrator || "unknown"),
      el("td", {}, toll(i.killed)),
      el("td", {}, el("span", { class: "verdict", dataset: { verdict: i.verdict || "none" } }, i.verdict || "not assessed")),
      el("td", {}, i.zones.map((z) => zoneName[z] || z).join(", ")),
      el("td", {}, i.review.decision || i.review.status.replace("_", " ")),
    ));
    if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: 8 }, "No incident matches these filters.")));
    document.querySelector("#incidents tbody").replaceChildren(...rows);
  }

  // --- filters -------------------------------------------------------------------------
  function readFilters() {
    const params = new URLSearchParams();
    const data = new FormData(form);
    for (const name of FILTERS) for (const value of data.getAll(name)) if (value) params.append(name, value);
    return params;
  }

  function writeFilters(params) {
    for (const name of [...FILTERS, "on"]) {
      const field = form.elements[name];
      if (!field) continue;
      if (name === "verdict") {
        const chosen = params.getAll("verdict");
        for (const box of form.querySelectorAll('input[name="verdict"]')) box.checked = chosen.includes(box.value);
      } else {
        field.value = params.get(name) || "";
      }
    }
  }

  let generation = 0; // a slow answer to an old request must not overwrite a newer one
  async function refresh() {
    const mine = ++generation;
    const filters = readFilters();
    const on = form.elements.on.value;
    const shown = new URLSearchParams(filters);
    if (on) shown.set("on", on);
    history.replaceState(null, "", shown.toString() ? `?${shown}` : location.pathname);
    const stats = new URLSearchParams();
    for (const name of ["zone", "date_from", "date_to"]) if (filters.get(name)) stats.set(name, filters.get(name));
    try {
      const [page, daily] = await Promise.all([
        api("GET", `/api/incidents?${filters}&limit=500`),
        api("GET", `/api/stats/daily?${stats}`),
      ]);
      const dated = page.data.map((i) => i.event_date).filter(Boolean).sort();
      const day = on || filters.get("date_to") || dated[dated.length - 1] || formatDay(Date.now());
      const zones = await api("GET", `/api/zones?on=${encodeURIComponent(day)}`);
      if (mine !== generation) return;
      document.getElementById("map-error")?.remove();
      mapNode.dataset.day = day;
      drawZones(zones, filters.get("zone"));
      drawIncidents(page.data);
      drawTimeline(daily.data, filters.get("date_from"), filters.get("date_to"));
      drawList(page);
      mapNode.dataset.ready = String(mine); // lets the browser tests wait for a draw
    } catch (e) {
      if (mine !== generation) return;
      document.getElementById("map-error")?.remove();
      form.after(el("p", { id: "map-error", class: "error-message", role: "alert" }, e.message));
    }
  }

  // For searches.js: the filters as a saved search keeps them, and applying one.
  window.tw.dashboard = {
    filters() {
      const params = readFilters();
      const out = {};
      for (const name of FILTERS) {
        if (name === "verdict") { if (params.getAll(name).length) out.verdict = params.getAll(name); }
        else if (params.get(name)) out[name] = params.get(name);
      }
      return out;
    },
    apply(filters) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(filters || {})) {
        for (const item of [].concat(value)) if (FILTERS.includes(name)) params.append(name, item);
      }
      writeFilters(params);
      refresh();
    },
  };

  writeFilters(new URLSearchParams(location.search));
  form.addEventListener("change", refresh);
  form.addEventListener("reset", () => setTimeout(refresh, 0));
  refresh();
})();
