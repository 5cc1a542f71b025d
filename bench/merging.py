"""Merging: claims of the same events told by several outlets, through merge_claims.

Each generated event (a day, a town, a weapon, a perpetrator or none) is told by one to
four outlets, each placing it within a kilometre of the town and giving its own toll;
the claims arrive shuffled. Events that happen to fall on one day within 5 km with the
same weapon are one incident by the merge's rules, so a few fewer incidents than events
is right.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from common import Figure, own_peak_mb

from trucewatch.merge import merge_claims
from trucewatch.model import Casualties, Claim, EventType, Place

OUTLETS = ("SOHR", "SANA", "Reuters", "AFP", "Enab Baladi", "Step News", "Smart News")
WEAPONS = (EventType.AIR_STRIKE, EventType.SHELLING, EventType.ARMED_CLASH)
PERPETRATORS = ("syrian-government", "russia", "hts", None)
KM = 1 / 111  # a degree is about 111 km


def claims(events: int, seed: int = 5) -> list[Claim]:
    rng = random.Random(seed)
    towns = [(f"Town {k}", rng.uniform(32.3, 36.7), rng.uniform(35.7, 38.5)) for k in range(2000)]
    told: list[Claim] = []
    for event in range(events):
        name, lat, lon = rng.choice(towns)
        day = date(2017, 1, 1) + timedelta(days=rng.randrange(365))
        weapon, perpetrator = rng.choice(WEAPONS), rng.choice(PERPETRATORS)
        killed = rng.randrange(0, 20)
        for outlet in rng.sample(OUTLETS, rng.randint(1, 4)):
            told.append(Claim(
                event_type=weapon, event_date=day,
                location=Place(name, lat=lat + rng.uniform(-KM, KM),
                               lon=lon + rng.uniform(-KM, KM)),
                perpetrator_actor=perpetrator if rng.random() < 0.7 else None,
                killed=Casualties(best=max(0, killed + rng.randint(-2, 2))),
                sources=[outlet], notes=str(event),  # which event, to score the merge
            ))
    rng.shuffle(told)
    return told


def trucewatch_merge(events: int) -> Figure:
    told = claims(events)
    start = time.perf_counter()
    incidents = merge_claims(told)
    took = time.perf_counter() - start
    homes: dict[str, set[int]] = {}
    for k, incident in enumerate(incidents):
        for claim in incident.claims:
            homes.setdefault(claim.notes or "", set()).add(k)
    split = sum(len(found) > 1 for found in homes.values())
    return Figure(len(incidents) / took, own_peak_mb(),
                  f"{len(told):,} claims ({len(told) / took:,.0f}/s) of {events:,} events "
                  f"-> {len(incidents):,} incidents; {split} events split")
