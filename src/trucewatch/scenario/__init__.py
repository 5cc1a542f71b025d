"""Scenarios as data: a folder holding ``scenario.yaml`` and ``zones.geojson``,
read into a :class:`trucewatch.model.Scenario`.

Format 2 (lines with buffers in km, areas by reference, weapon zones, periods and
their ending, roles, hierarchies, partial commitments, cross-border acts) is
specified in docs/scenario-format.md; a folder is format 2 when scenario.yaml says
``format: 2``. Format 1, below, keeps loading unchanged. The package: ``files``
(reading the files), ``fields`` (one entry's fields), ``geojson`` (zones.geojson),
``reading`` (scenario.yaml), ``v2`` (what format 2 adds), ``geometry`` (line
buffers and outlines), ``loading`` (the public calls), ``skeleton`` (a new folder).

Domain experts edit these files, so every mistake is reported at once, naming
the file and the entry (entries count from 0), and nothing half-read is
returned. Unknown keys in scenario.yaml are reported too: a misspelt
``excludes:`` must not silently drop an exclusion.

scenario.yaml (* = required)::

  id*: astana-2017
  name*: ...
  description: ...
  timezone*: Asia/Damascus      # every time below is local time there
  actors:
    - id*: syrian-government
      name*: Syrian government forces
      kind*: state              # state | foreign state | rebel | jihadist | coalition | other
      flies_aircraft: true      # default false
      flies_over: [idlib]       # zone ids its aircraft operate over; omitted: every zone
      aliases: [Syrian warplanes, regime forces]   # case-insensitive; longest match wins
      bound_by: [astana-memorandum]                # agreement and declaration ids
  agreements:                   # agreements and declarations share one id space
    - id*: astana-memorandum
      name*: ...
      signed: 2017-05-04        # a date
      start*: 2017-05-06T00:00  # a local date and time
      end: null                 # null = open. END IS EXCLUSIVE:
                                # "until midnight on 6 July" is 2017-07-07T00:00
      renewal: text
      parties: [actor ids]
      guarantors: [actor ids]
      mediator: text
      pax_id: "2093"            # PA-X peace agreement id
      zones*: [zone ids from zones.geojson]
      prohibited*: all          # or a list of ACLED sub-event types: [Air/drone strike, ...];
                                # all = every type except "Government regains territory"
                                # and "Non-state actor overtakes territory"
      excluded: [actor ids]     # not parties: attacks on them are no violation
      ceasefire_class: cessation   # cessation | cessation with compliance mechanism | definitive
      purpose: text
      written: true             # default true; false for a verbal or broadcast promise
      notes: text
      deadlines:
        - {name*: maps of the areas, due*: 2017-06-04, met_on: null, note: missed}
  declarations:                 # one actor's unilateral promise
    - id*, name*, actor* (an actor id), announced (a date), start*, end, zones*,
      prohibited*, excluded, ceasefire_class, purpose, written, notes: as above

zones.geojson: a GeoJSON FeatureCollection, coordinates [longitude, latitude],
one Feature per dated version of a zone's boundary, with a valid Polygon or
MultiPolygon and the properties ``zone``* (id), ``name``, ``status``* (draft |
agreed | disputed), ``valid_from``* (a date), ``valid_to`` (the last day it
holds, inclusive; null = still valid), ``approximate`` (default true),
``note``. The versions of one zone must not share a day. Other properties
(styling from geojson.io, QGIS ids) are ignored.
"""

from trucewatch.scenario.fields import ALL_PROHIBITED
from trucewatch.scenario.files import SCENARIO_FILE, ZONES_FILE
from trucewatch.scenario.loading import (
    builtin_scenarios,
    load_scenario,
    resolve_scenario_path,
    validate_scenario,
)
from trucewatch.scenario.reading import ACTOR_KINDS, CEASEFIRE_CLASSES
from trucewatch.scenario.skeleton import write_skeleton

__all__ = [
    "ACTOR_KINDS",
    "ALL_PROHIBITED",
    "CEASEFIRE_CLASSES",
    "SCENARIO_FILE",
    "ZONES_FILE",
    "builtin_scenarios",
    "load_scenario",
    "resolve_scenario_path",
    "validate_scenario",
    "write_skeleton",
]
