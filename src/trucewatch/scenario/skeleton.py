"""A new scenario folder to fill in: ``trucewatch scenario new NAME``.

The skeleton is format 2, every element shown as a commented example. As written it
does not validate, and the validator says what to fill in: the name, the timezone,
a zone. Once those are given (and the examples uncommented and edited as needed) it
loads."""

from __future__ import annotations

import re
from pathlib import Path

from trucewatch.errors import InputError
from trucewatch.scenario.files import SCENARIO_FILE, ZONES_FILE

_SCENARIO = """\
# A ceasefire scenario, format 2: docs/scenario-format.md says what every key means.
# Fill in what is marked FILL IN, uncomment and edit the examples you need, then run
#   trucewatch scenario validate {folder}
# until it prints "valid". Times are local time in `timezone`; an `end` is exclusive
# ("until midnight on 6 July" is 2017-07-07T00:00).

format: 2
id: {ident}
name:            # FILL IN: e.g. Minsk ceasefires in eastern Ukraine (2014-2022)
description: >-
  What the ceasefire is, who agreed it, where it holds.
timezone:        # FILL IN: an IANA name, e.g. Europe/Kyiv, Asia/Aden

actors: []
  # - id: government-forces
  #   name: Government forces
  #   kind: state              # state | foreign state | rebel | jihadist | coalition | other
  #   aliases: [government troops, the army]
  #   flies_aircraft: true
  #   bound_by: [truce]        # or {{agreement: truce, zones: [zone ids]}}: bound there only
  # - id: northern-command
  #   name: Army northern command
  #   kind: state
  #   part_of: government-forces  # a sub-unit: bound by what binds its parent
  # - id: monitoring-mission
  #   name: Monitoring mission
  #   kind: other
  #   role: monitor            # belligerent (default) | monitor | reporting: never the perpetrator

zones: []        # FILL IN a zone here, or draw one in {zones}
  # - id: buffer-15km
  #   name: 15 km either side of the line of contact
  #   line: contact-line       # a feature of {zones} with "line": "contact-line"
  #   buffer_km: 15
  #   side: both               # left | right | both, walking the line as drawn
  #   cap: round               # round | flat: the zone reaches past the line's ends or not
  # - id: whole-country
  #   name: The whole country
  #   area: {{country: YE}}       # or {{country: YE, admin1: "Al Hudaydah"}}

agreements: []
  # - id: truce
  #   name: Nationwide truce
  #   signed: 2022-04-01
  #   periods:                 # or start: / end: for one window
  #     - {{start: 2022-04-02T19:00, end: 2022-06-02T19:00, kind: initial, source: "who said so"}}
  #     - {{start: 2022-06-02T19:00, end: 2022-08-02T19:00, kind: renewal, source: "who said so"}}
  #   ended: {{at: 2022-08-02T19:00, how: expired, source: "who said so"}}
  #   parties: [government-forces]
  #   guarantors: []
  #   monitors: [monitoring-mission]
  #   zones: [whole-country]
  #   prohibited: all          # or a list of ACLED sub-event types
  #   excluded: []             # actors not party to it: attacks on them are no violation
  #   cross_border: false      # true, or a list of states: [SA, AE]
  #   weapon_zones:            # weapons barred within zones of their own
  #     - {{weapons: [artillery, mortar], min_calibre_mm: 100, zones: [buffer-15km]}}

declarations: []
  # - id: army-halt
  #   name: Army halt of operations
  #   actor: government-forces
  #   start: 2022-03-29T00:00
  #   end: 2022-04-03T00:00
  #   zones: [whole-country]
  #   prohibited: all
"""

_ZONES = """\
{
  "type": "FeatureCollection",
  "features": []
}
"""


def write_skeleton(folder: str | Path) -> Path:
    """Write a commented format 2 scenario folder at ``folder`` (created; it must not
    hold a scenario already). Its id is the folder's name."""
    path = Path(folder).expanduser()
    ident = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-")
    if not ident:
        raise InputError(str(folder), "a new scenario needs a folder name with letters or "
                         "digits, e.g. yemen-2022")
    for name in (SCENARIO_FILE, ZONES_FILE):
        if (path / name).exists():
            raise InputError(str(path / name), "already exists: a new scenario is written "
                             "into a folder that holds none")
    if path.exists() and not path.is_dir():
        raise InputError(str(path), "exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        (path / SCENARIO_FILE).write_text(
            _SCENARIO.format(ident=ident, folder=path, zones=ZONES_FILE), encoding="utf-8")
        (path / ZONES_FILE).write_text(_ZONES, encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot write the scenario: {error.strerror or error}"
                         ) from None
    return path
