// The dashboard: one set of filters drives the map (zones as they stood on a day, every
// matching incident at any zoom, counted per cell when many), the timeline (violations
// per day, week or month and zone), the incident list (sorted, a page at a time) and the
// export links. Filters, sort and page live in the query string, so a view can be
// bookmarked; with none there, the dashboard opens on the ledger's last four weeks.
"use strict";
(function () {
  const { api, el, recordWhen, toll } = window.tw;
  const form = document.getElementById("filters");
  const mapNode = document.getElementById("map");
  const FILTERS = ["q", "zone", "event_type", "actor", "source", "dataset", "confidence", "verdict",
    "date_from", "date_to", "review_status", "bbox"];
  const LISTS = ["verdict", "source", "dataset", "confidence"]; // lists in a saved search
  const PAGE_SIZE = 50;
  const PALETTE = ["#1565c0", "#00897b", "#8e24aa", "#f9a825", "#d81b60", "#5d4037", "#3949ab", "#7cb342"];
  const zoneIds = [...form.elements.zone.options].map((o) => o.value).filter(Boolean);
  const zoneName = Object.fromEntries([...form.elements.zone.options].map((o) => [o.value, o.textContent]));
  const zoneColour = (id) => PALETTE[Math.max(0, zoneIds.indexOf(id)) % PALETTE.length];

  // --- map -----------------------------------------------------------------------------
  const [south, west, north, east] = (mapNode.dataset.view || "-60,-170,75,170").split(",").map(Number);
  const map = L.map(mapNode, { zoomSnap: 0.25, maxZoom: 18, attributionControl: true })
    .fitBounds([[south, west], [north, east]]);
  map.createPane("incidents").style.zIndex = 450; // over the zones (overlayPane, 400)
  window.tw.basemap(map, mapNode);
  const zoneLayer = L.layerGroup().addTo(map);
  const mapCount = document.getElementById("map-count");
  const incidents = window.tw.incidentLayer(map, {
    onPlace(bbox, count) {
      form.elements.bbox.value = bbox.map((n) => n.toFixed(5)).join(",");
      form.elements.page.value = "1";
      refresh();
      mapCount.textContent = `${count} incidents at that place: the list below shows them.`;
    },
    onError: showError,
  });

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

  const legend = document.getElementById("legend");
  for (const verdict of ["violation", "probable violation", "not a violation", "outside every zone", "undetermined"]) {
    legend.append(el("span", {}, el("span", { class: "swatch", dataset: { verdict } }), verdict));
  }
  legend.append(el("span", {}, el("span", { class: "swatch cluster-most" }), "a circle: that many incidents, most of them violations"));
  legend.append(el("span", {}, "— agreed boundary, - - draft or disputed (red)"));

  // --- list ----------------------------------------------------------------------------
  function drawList(page, pageNumber) {
    const pages = Math.max(1, Math.ceil(page.count / PAGE_SIZE));
    const first = page.count ? (pageNumber - 1) * PAGE_SIZE + 1 : 0;
    document.getElementById("count").textContent = page.count > page.data.length
      ? `${first.toLocaleString("en")}–${(first + page.data.length - 1).toLocaleString("en")} of ${page.count.toLocaleString("en")}`
      : page.count.toLocaleString("en");
    document.getElementById("page-of").textContent = `page ${pageNumber.toLocaleString("en")} of ${pages.toLocaleString("en")}`;
    document.getElementById("first-page").disabled = document.getElementById("previous-page").disabled = pageNumber <= 1;
    document.getElementById("next-page").disabled = document.getElementById("last-page").disabled = pageNumber >= pages;
    document.getElementById("last-page").dataset.page = String(pages);
    const rows = page.data.map((i) => el("tr", { dataset: { id: i.id } },
      el("td", {}, el("a", { href: `/incidents/${i.id}` }, recordWhen(i))),
      el("td", {}, i.event_type),
      el("td", {}, i.location ? i.location.name : "unknown"),
      el("td", {}, i.perpetrator || "unknown"),
      el("td", {}, toll(i.killed)),
      el("td", {}, el("span", { class: "verdict", dataset: { verdict: i.verdict || "none" } }, i.verdict || "not assessed")),
      el("td", {}, i.confidence),
      el("td", {}, i.zones.map((z) => zoneName[z] || z).join(", ")),
      el("td", {}, i.review.decision || i.review.status.replace("_", " ")),
    ));
    if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: 9 }, "No incident matches these filters.")));
    document.querySelector("#incidents tbody").replaceChildren(...rows);
    const sort = form.elements.sort.value;
    for (const button of document.querySelectorAll("#incidents button.sort")) {
      const key = button.dataset.sort;
      const state = sort === key ? "ascending" : sort === `-${key}` ? "descending" : "none";
      button.closest("th").setAttribute("aria-sort", state);
      button.dataset.state = state;
    }
  }

  // --- filters -------------------------------------------------------------------------
  function readFilters() {
    const params = new URLSearchParams();
    const data = new FormData(form);
    for (const name of FILTERS) for (const value of data.getAll(name)) if (value.trim()) params.append(name, value.trim());
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
    form.elements.sort.value = params.get("sort") || "-event_date";
    form.elements.page.value = params.get("page") || "1";
  }

  // Read as attributes: form.dataset would be the form's "dataset" field.
  const latest = [form.getAttribute("data-latest-from") || "", form.getAttribute("data-latest-to") || ""];
  function latestWeeks() {
    [form.elements.date_from.value, form.elements.date_to.value] = latest;
  }

  function showError(e) {
    document.getElementById("map-error")?.remove();
    form.after(el("p", { id: "map-error", class: "error-message", role: "alert" }, e.message));
  }

  let generation = 0; // a slow answer to an old request must not overwrite a newer one
  async function refresh() {
    const mine = ++generation;
    const filters = readFilters();
    const sort = form.elements.sort.value || "-event_date";
    const pageNumber = Math.max(1, Number(form.elements.page.value) || 1);
    const on = form.elements.on.value;
    const shown = new URLSearchParams(filters);
    if (on) shown.set("on", on);
    if (sort !== "-event_date") shown.set("sort", sort);
    if (pageNumber > 1) shown.set("page", String(pageNumber));
    history.replaceState(null, "", shown.toString() ? `?${shown}` : location.pathname);
    document.getElementById("place-filter").hidden = !filters.get("bbox");
    for (const [id, format] of [["export-csv", "acled-csv"], ["export-geojson", "geojson"], ["export-jsonl", "jsonl"]]) {
      const params = new URLSearchParams(filters);
      params.set("format", format);
      params.set("sort", sort);
      document.getElementById(id).href = `/api/export?${params}`;
    }
    const listed = new URLSearchParams(filters);
    listed.set("sort", sort);
    listed.set("limit", String(PAGE_SIZE));
    listed.set("offset", String((pageNumber - 1) * PAGE_SIZE));
    const day = on || filters.get("date_to") || latest[1] || new Date().toISOString().slice(0, 10);
    try {
      const [page, timeline, zones, shown] = await Promise.all([
        api("GET", `/api/incidents?${listed}`),
        api("GET", `/api/stats/timeline?${filters}`),
        api("GET", `/api/zones?on=${encodeURIComponent(day)}`),
        incidents.load(filters),
      ]);
      if (mine !== generation) return;
      document.getElementById("map-error")?.remove();
      mapNode.dataset.day = day;
      drawZones(zones, filters.get("zone"));
      if (shown) mapCount.textContent = `${shown.located.toLocaleString("en")} incidents with a place in this part of the map.`;
      document.getElementById("timeline-title").textContent = `Violations per ${timeline.unit} and zone`;
      window.tw.drawTimeline(document.getElementById("timeline"), timeline, {
        zoneIds, zoneColour, zoneName,
        onPick(start) { form.elements.on.value = start; refresh(); },
      });
      drawList(page, pageNumber);
      mapNode.dataset.ready = String(mine); // lets the browser tests wait for a draw
    } catch (e) {
      if (mine !== generation) return;
      showError(e);
    }
  }

  function goTo(pageNumber) {
    form.elements.page.value = String(pageNumber);
    refresh();
  }

  // For searches.js: the filters as a saved search keeps them, and applying one.
  window.tw.dashboard = {
    filters() {
      const params = readFilters();
      const out = {};
      for (const name of FILTERS) {
        if (LISTS.includes(name)) { if (params.getAll(name).length) out[name] = params.getAll(name); }
        else if (params.get(name)) out[name] = params.get(name);
      }
      if (form.elements.sort.value) out.sort = form.elements.sort.value;
      return out;
    },
    apply(filters) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(filters || {})) {
        for (const item of [].concat(value)) if (FILTERS.includes(name) || name === "sort") params.append(name, item);
      }
      writeFilters(params);
      refresh();
    },
  };

  const given = new URLSearchParams(location.search);
  writeFilters(given);
  if (!FILTERS.some((name) => given.has(name))) latestWeeks();
  form.addEventListener("change", (event) => {
    if (event.target.name !== "on") form.elements.page.value = "1";
    refresh();
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); form.elements.page.value = "1"; refresh(); });
  form.addEventListener("reset", () => setTimeout(() => { form.elements.sort.value = "-event_date"; form.elements.page.value = "1"; refresh(); }, 0));
  document.getElementById("latest").addEventListener("click", () => { latestWeeks(); form.elements.page.value = "1"; refresh(); });
  document.getElementById("clear-place").addEventListener("click", () => { form.elements.bbox.value = ""; goTo(1); });
  document.getElementById("first-page").addEventListener("click", () => goTo(1));
  document.getElementById("previous-page").addEventListener("click", () => goTo(Number(form.elements.page.value) - 1));
  document.getElementById("next-page").addEventListener("click", () => goTo(Number(form.elements.page.value) + 1));
  document.getElementById("last-page").addEventListener("click", (event) => goTo(Number(event.target.dataset.page) || 1));
  for (const button of document.querySelectorAll("#incidents button.sort")) {
    button.addEventListener("click", () => {
      const key = button.dataset.sort;
      form.elements.sort.value = form.elements.sort.value === `-${key}` ? key : `-${key}`;
      goTo(1);
    });
  }
  refresh();
})();
