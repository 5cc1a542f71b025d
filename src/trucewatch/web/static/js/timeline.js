// The dashboard's timeline: violations and probable violations per zone, in the bins the
// API chose for the range (/api/stats/timeline: a day up to three months, a week up to
// two years, else a month), bars side by side per zone within each bin, and the counts
// that monitors and the sides reported as a line.
"use strict";
window.tw.drawTimeline = function (node, answer, options) {
  const { el, svg } = window.tw;
  const { zoneIds, zoneColour, zoneName, onPick } = options;
  const unit = answer.unit;
  node.replaceChildren();
  const width = 560, height = 200, left = 30, top = 10, bottom = 22;
  const right = (answer.aggregates || []).length ? 30 : 10; // room for the counts' scale
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img",
    "aria-label": `violations per ${unit} and zone`, "data-unit": unit });
  node.append(chart);
  const rows = answer.data;
  if ((!rows.length && !(answer.aggregates || []).length) || !answer.date_from || !answer.date_to) {
    chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" },
      "No violations for these filters"));
    return;
  }

  // Every bin's first day from the range's first bin to its last day, so empty bins keep
  // their place on the axis.
  const next = (day) => {
    const d = new Date(`${day}T00:00:00Z`);
    if (unit === "month") d.setUTCMonth(d.getUTCMonth() + 1);
    else d.setUTCDate(d.getUTCDate() + (unit === "week" ? 7 : 1));
    return d.toISOString().slice(0, 10);
  };
  const bins = [];
  for (let day = answer.date_from; day <= answer.date_to && bins.length < 2000; day = next(day)) bins.push(day);
  const index = new Map(bins.map((day, i) => [day, i]));
  const perBin = new Map();
  for (const row of rows) {
    const list = perBin.get(row.start) || [];
    list.push(row);
    perBin.set(row.start, list);
  }
  const label = (day) => {
    const moment = new Date(`${day}T00:00:00Z`);
    if (unit === "month") return moment.toLocaleDateString("en-GB", { timeZone: "UTC", month: "short", year: "numeric" });
    if (unit === "week") return moment.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
    return day;
  };
  const title = (day) => (unit === "day" ? day : unit === "week" ? `week of ${label(day)}` : label(day));

  // Bars side by side, one per zone: zones overlap (a governorate and the area inside
  // it), so an incident may count in two of them and stacking would add it twice.
  const most = Math.max(1, ...rows.map((r) => r.violations + r.probable_violations));
  const step = (width - left - right) / bins.length;
  const group = Math.max(1, Math.min(48, step * 0.85));
  const y = (count) => top + (height - top - bottom) * (1 - count / most);
  chart.append(svg("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#999" }));
  chart.append(svg("text", { x: left - 4, y: y(most) + 4, "text-anchor": "end", class: "axis" }, most));
  chart.append(svg("text", { x: left - 4, y: y(0), "text-anchor": "end", class: "axis" }, 0));
  for (const [day, list] of perBin) {
    if (!index.has(day)) continue;
    const x0 = left + index.get(day) * step + (step - group) / 2;
    const barWidth = group / list.length;
    list.sort((a, b) => zoneIds.indexOf(a.zone) - zoneIds.indexOf(b.zone)).forEach((row, i) => {
      const count = row.violations + row.probable_violations;
      const bar = svg("rect", {
        x: x0 + i * barWidth, width: Math.max(1, barWidth - 1), y: y(count), height: y(0) - y(count),
        fill: zoneColour(row.zone), class: "bar", "data-day": day, "data-zone": row.zone, "data-count": count,
      }, svg("title", {}, `${title(day)} · ${zoneName[row.zone] || row.zone}: ${row.violations} violation(s), ${row.probable_violations} probable`));
      bar.addEventListener("click", () => onPick(day));
      chart.append(bar);
    });
  }
  // Counts that monitors and the sides reported (aggregate reports: "312 violations in
  // Donetsk region"), summed per bin over the zones shown, as a line on a scale of its
  // own (right): they are acts counted, not incidents.
  const reported = new Map();
  for (const row of answer.aggregates || []) {
    if (index.has(row.start)) reported.set(row.start, (reported.get(row.start) || 0) + row.reported);
  }
  if (reported.size) {
    const peak = Math.max(1, ...reported.values());
    const yr = (count) => top + (height - top - bottom) * (1 - count / peak);
    const points = bins.map((day, i) => `${left + i * step + step / 2},${yr(reported.get(day) || 0)}`);
    chart.append(svg("polyline", { points: points.join(" "), class: "reported", fill: "none" }));
    for (const [day, count] of reported) {
      chart.append(svg("circle", { cx: left + index.get(day) * step + step / 2, cy: yr(count), r: 2.5,
        class: "reported", "data-day": day, "data-count": count },
        svg("title", {}, `${title(day)}: ${count} acts in the counts reported`)));
    }
    chart.append(svg("text", { x: width - 2, y: yr(peak) + 4, "text-anchor": "end", class: "axis reported-axis" }, peak));
  }
  const ticks = Math.min(bins.length, unit === "day" ? 5 : 6);
  for (let i = 0; i < ticks; i++) {
    const at = Math.round((i * (bins.length - 1)) / Math.max(1, ticks - 1));
    const x = left + at * step + step / 2;
    chart.append(svg("text", { x, y: height - bottom + 14, "text-anchor": "middle", class: "axis" }, label(bins[at])));
  }
  const key = el("div", { class: "legend" });
  for (const zone of [...new Set(rows.map((r) => r.zone))]) {
    key.append(el("span", {}, el("span", { class: "swatch", style: `background:${zoneColour(zone)}` }),
      zoneName[zone] || zone));
  }
  if (reported.size) key.append(el("span", {}, el("span", { class: "swatch reported-swatch" }), "acts in the counts reported (right scale)"));
  node.append(key, el("p", { class: "hint" }, "Click a bar to draw the zones as they stood on its first day."));
};
