"""ACLED's event types before its 2019 overhaul, read as today's sub-event types.

Until 2019 ACLED coded nine event types and no sub-event type. The table below (data,
not code: ``LEGACY_TYPES``) says what each becomes. Where the old type names no weapon
("Remote violence", "Violence against civilians") the row's NOTES decide when they name
the means (``MEANS``: words tried in order, the first that matches wins); else the
default applies and the type is marked coarse, so merging may join it with a reading
that names the weapon.

| event type before 2019 | sub-event type | exact? |
|---|---|---|
| Battle-No change of territory | Armed clash | yes |
| Battle-Government regains territory | Government regains territory | yes |
| Battle-Non-state actor overtakes territory | Non-state actor overtakes territory | yes |
| Remote violence, NOTES naming the means | Suicide bomb, Chemical weapon, Air/drone
  strike, Remote explosive/landmine/IED, Grenade or Shelling/artillery/missile attack | yes |
| Remote violence, else | Shelling/artillery/missile attack | no (coarse) |
| Violence against civilians, NOTES naming it | Abduction/forced disappearance or
  Sexual violence | yes |
| Violence against civilians, else | Attack | no (coarse) |
| Riots/Protests | ignored (not recorded) | |
| Non-violent transfer of territory | ignored (a strategic development today) | |
| Headquarters or base established | ignored (a strategic development today) | |
| Strategic development | ignored | |

Shelling is the default for remote violence because it is what most such rows without
a named weapon were (artillery, mortars and rockets far outnumber the rest in ACLED's
older data); being coarse, the guess never keeps it apart from an air strike or IED
that an article or today's ACLED names for the same event.
"""

from __future__ import annotations

import re

from trucewatch.model import EventType

_E = EventType
# Old type (lower case, no spaces around the hyphen) → (sub-event type, exact), or None:
# not recorded. Types whose means the notes may name are in MEANS_FOR.
LEGACY_TYPES: dict[str, tuple[EventType, bool] | None] = {
    "battle-no change of territory": (_E.ARMED_CLASH, True),
    "battle-government regains territory": (_E.GOVERNMENT_REGAINS_TERRITORY, True),
    "battle-non-state actor overtakes territory": (_E.NON_STATE_TAKEOVER, True),
    "remote violence": (_E.SHELLING, False),
    "violence against civilians": (_E.ATTACK, False),
    "riots/protests": None,
    "non-violent transfer of territory": None,
    "headquarters or base established": None,
    "strategic development": None,
}

_REMOTE_MEANS = (
    (r"suicide", _E.SUICIDE_BOMB),
    (r"chemical|chlorine|sarin|toxic gas|poison gas", _E.CHEMICAL_WEAPON),
    (r"air ?strikes?|air ?raids?|airstrikes?|warplanes?|jets?|fighter planes?|aircraft|"
     r"helicopters?|gunships?|drones?|uavs?|bombers?|aerial|barrel bombs?|bombard(ed|ment) "
     r"from the air", _E.AIR_STRIKE),
    (r"ieds?|vbieds?|roadside bombs?|land ?mines?|mines?|car bombs?|explosive devices?|"
     r"booby[- ]trap", _E.REMOTE_EXPLOSIVE),
    (r"grenades?", _E.GRENADE),
    (r"shell(s|ed|ing)?|artillery|mortars?|rockets?|missiles?|howitzers?|katyushas?|"
     r"cannons?|tank fire", _E.SHELLING),
)
_CIVILIAN_MEANS = (
    (r"abduct\w*|kidnap\w*|hostages?|disappear\w*", _E.ABDUCTION),
    (r"rap(e|ed|es|ing)|sexual\w*", _E.SEXUAL_VIOLENCE),
)
MEANS_FOR: dict[str, tuple[tuple[re.Pattern[str], EventType], ...]] = {
    old: tuple((re.compile(rf"\b({words})\b", re.I), kind) for words, kind in means)
    for old, means in (("remote violence", _REMOTE_MEANS),
                       ("violence against civilians", _CIVILIAN_MEANS))
}


def legacy_type(old: str, notes: str) -> tuple[EventType, bool] | None:
    """Today's sub-event type for an old event type, and whether it is exact. None for a
    kind not recorded; RowProblem-free: an old type this table does not know is None
    too (it is counted as ignored under its own name)."""
    key = re.sub(r"\s*-\s*", "-", old.strip().lower())
    for pattern, kind in MEANS_FOR.get(key, ()):
        if pattern.search(notes):
            return kind, True
    return LEGACY_TYPES.get(key)
