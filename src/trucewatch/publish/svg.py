"""SVG drawn by hand for the briefing: a map of the zones with the incidents (no tiles,
nothing fetched) and a chart of violations per day. Plain strings, every text escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

VERDICT_COLOURS = {
    "violation": "#b3261e",
    "probable violation": "#e8833a",
    "not a violation": "#5b8c5a",
    "outside every zone": "#4a6fa5",
    "undetermined": "#8e6bb0",
    None: "#777777",
}
STATUS_STYLE = {  # zone outlines: agreed solid, draft dotted, disputed dashed
    "agreed": ("#2f4f6f", ""),
    "draft": ("#2f4f6f", "2 3"),
    "disputed": ("#a04000", "7 4"),
}


@dataclass(frozen=True, slots=True)
class MapZone:
    name: str
    geometry: BaseGeometry
    status: str


@dataclass(frozen=True, slots=True)
class MapPoint:
    lon: float
    lat: float
    verdict: str | None
    label: str


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    violations: int
    probable: int


class _Projection:
    """Longitude and latitude to page units: equirectangular, scaled by the cosine of the
    middle latitude so that shapes keep their proportions at these scales."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float,
                 height: float, margin: float = 12) -> None:
        min_lon, min_lat, max_lon, max_lat = bounds
        pad_lon, pad_lat = max((max_lon - min_lon) * 0.06, 0.05), \
            max((max_lat - min_lat) * 0.06, 0.05)
        self.min_lon, self.max_lat = min_lon - pad_lon, max_lat + pad_lat
        span_lon = (max_lon - min_lon + 2 * pad_lon) * math.cos(
            math.radians((min_lat + max_lat) / 2))
        span_lat = max_lat - min_lat + 2 * pad_lat
        self.scale = min((width - 2 * margin) / span_lon, (height - 2 * margin) / span_lat)
        self.kx = self.scale * math.cos(math.radians((min_lat + max_lat) / 2))
        self.margin = margin
        self.width = span_lon * self.scale + 2 * margin
        self.height = span_lat * self.scale + 2 * margin

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.margin + (lon - self.min_lon) * self.kx,
                self.margin + (self.max_lat - lat) * self.scale)


def _rings(geometry: BaseGeometry) -> list[Sequence[tuple[float, float]]]:
    polygons = [geometry] if isinstance(geometry, Polygon) else (
        list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [])
    rings: list[Sequence[tuple[float, float]]] = []
    for polygon in polygons:
        rings.append(list(polygon.exterior.coords))
        rings.extend(list(interior.coords) for interior in polygon.interiors)
    return rings


def zone_map(zones: Sequence[MapZone], points: Sequence[MapPoint], *, width: float = 500,
             height: float = 360) -> str:
    """The zones' outlines (dashed when disputed), numbered, with each incident as a dot
    coloured by its verdict; below, the verdicts' colours and the zones' names."""
    bounds = [z.geometry.bounds for z in zones]
    bounds += [(p.lon, p.lat, p.lon, p.lat) for p in points]
    if not bounds:
        return ""
    box = (min(b[0] for b in bounds), min(b[1] for b in bounds),
           max(b[2] for b in bounds), max(b[3] for b in bounds))
    project = _Projection(box, width, height)
    canvas = max(project.width, 480.0)
    shift = (canvas - project.width) / 2
    legend_height = 38 + 11 * len(zones)
    total = project.height + legend_height
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{canvas:.0f}" '
             f'height="{total:.0f}" viewBox="0 0 {canvas:.1f} {total:.1f}" class="map">',
             f'<g transform="translate({shift:.1f} 0)">',
             f'<rect x="0" y="0" width="{project.width:.1f}" height="{project.height:.1f}" '
             'fill="#f4f1ea" stroke="#bbb" stroke-width="0.5"/>']
    for number, zone in enumerate(zones, start=1):
        colour, dashes = STATUS_STYLE.get(zone.status, STATUS_STYLE["agreed"])
        path = " ".join(
            "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in (project(*c[:2]) for c in ring))
            + " Z" for ring in _rings(zone.geometry))
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(f'<path d="{path}" fill="{colour}" fill-opacity="0.10" '
                     f'fill-rule="evenodd" stroke="{colour}" stroke-width="1.2"{dash}/>')
        anchor = zone.geometry.representative_point()
        x, y = project(anchor.x, anchor.y)
        parts.append(f'<text x="{x - 12:.1f}" y="{y + 3:.1f}" font-size="9" '
                     f'font-weight="bold" fill="{colour}" text-anchor="middle">{number}</text>')
    for point in points:
        x, y = project(point.lon, point.lat)
        colour = VERDICT_COLOURS.get(point.verdict, VERDICT_COLOURS[None])
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.6" fill="{colour}" '
                     f'stroke="#fff" stroke-width="0.8"><title>{escape(point.label)}</title>'
                     '</circle>')
    parts.append("</g>")
    parts.append(_legend(project.height + 6, canvas, zones))
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(top: float, width: float, zones: Sequence[MapZone]) -> str:
    items = [(kind, colour) for kind, colour in VERDICT_COLOURS.items() if kind]
    step = (width - 12) / len(items)
    parts = []
    for n, (kind, colour) in enumerate(items):
        x = 6 + n * step
        parts.append(f'<circle cx="{x + 4:.1f}" cy="{top + 6:.1f}" r="3.6" fill="{colour}"/>'
                     f'<text x="{x + 11:.1f}" y="{top + 9:.1f}" font-size="7.5">'
                     f"{escape(kind)}</text>")
    for n, zone in enumerate(zones, start=1):
        colour = STATUS_STYLE.get(zone.status, STATUS_STYLE["agreed"])[0]
        parts.append(f'<text x="6" y="{top + 12 + 11 * n:.1f}" font-size="7.5">'
                     f'<tspan font-weight="bold" fill="{colour}">{n}</tspan> '
                     f"{escape(zone.name)} ({escape(zone.status)} outline)</text>")
    parts.append(f'<text x="6" y="{top + 24 + 11 * len(zones):.1f}" font-size="7" '
                 'fill="#555">Outlines: solid agreed, dotted draft, dashed disputed; '
                 "approximate where the scenario says so.</text>")
    return "".join(parts)


def daily_chart(days: Sequence[DayCount], *, width: float = 520, height: float = 170) -> str:
    """Violations (dark) and probable violations (light) per day, stacked, with the
    period's days on the x axis, including the days with none."""
    if not days:
        return ""
    left, right, top, bottom = 28, 8, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(max(d.violations + d.probable for d in days), 1)
    step = plot_w / len(days)
    bar = max(step * 0.8, 0.6)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width} {height}" class="chart">']
    for tick in sorted({0, peak // 2, peak}):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="0.5"/><text x="{left - 4}" y="{y + 3:.1f}" '
                     f'font-size="8" text-anchor="end">{tick}</text>')
    label_every = max(1, math.ceil(len(days) / 8))
    for n, day in enumerate(days):
        x = left + n * step + (step - bar) / 2
        base = top + plot_h
        for count, colour in ((day.violations, VERDICT_COLOURS["violation"]),
                              (day.probable, VERDICT_COLOURS["probable violation"])):
            if count:
                h = plot_h * count / peak
                base -= h
                parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                             f'height="{h:.1f}" fill="{colour}"/>')
        if n % label_every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 12:.1f}" '
                         f'font-size="7.5" text-anchor="middle">{day.day:%d %b}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
                 f'y2="{top + plot_h}" stroke="#555" stroke-width="0.8"/>')
    parts.append(f'<text x="{left}" y="{height - 3}" font-size="7.5" fill="#555">'
                 "dark: violations; light: probable violations</text>")
    parts.append("</svg>")
    return "\n".join(parts)
