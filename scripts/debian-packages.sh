#!/usr/bin/env bash
# The Debian packages the tests use beside Python's, installed when one is missing:
#   chromium                     the dashboard's browser tests (Playwright drives it;
#                                never a browser download by Playwright)
#   libpango, harfbuzz, fonts    WeasyPrint's PDF briefing, with Arabic glyphs
#   postgresql, postgresql-postgis  the store's tests on PostgreSQL with PostGIS
# Needs root or sudo. Without them (or without apt), it says so and the tests that need
# a missing package are skipped with that reason; nothing else fails.
set -euo pipefail
packages=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core
          fonts-dejavu-core postgresql postgresql-postgis)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
((${#missing[@]})) || exit 0
if ! command -v apt-get >/dev/null; then
  echo "note: no apt-get to install ${missing[*]}; the tests that need them are skipped" >&2
  exit 0
fi
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
    echo "note: need root to install ${missing[*]}; the tests that need them are skipped" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing Debian packages: ${missing[*]}" >&2
if ! { "${SUDO[@]}" apt-get update -qq && \
       "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
then
  echo "note: apt-get could not install ${missing[*]}; the tests that need them are skipped" >&2
fi
