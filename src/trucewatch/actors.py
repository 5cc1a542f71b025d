"""Actor dictionary: turns the words a report uses ("Syrian warplanes",
"regime aircraft") into the scenario's actor ids.

Who did it is the world catalogue's call (:mod:`trucewatch.world_actors`); whether that
actor is bound is the scenario's. :meth:`ActorDictionary.resolve_world` is the bridge."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trucewatch.model import Actor
from trucewatch.world_actors import WorldActor, WorldActors, fold_key


def fold_alias(text: str) -> str:
    text = text.lower().replace("’", "'").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip()


class ActorDictionary:
    """Longest alias wins, matched on word boundaries, case- and hyphen-insensitive."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = {actor.id: actor for actor in actors}
        aliases: list[tuple[str, Actor]] = []
        for actor in self.actors.values():
            for alias in {actor.name, *actor.aliases}:
                aliases.append((fold_alias(alias), actor))
        aliases.sort(key=lambda pair: -len(pair[0]))
        self._aliases = aliases
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(a) for a, _ in aliases) + r")\b")
            if aliases
            else None
        )
        self._by_alias = {alias: actor for alias, actor in reversed(aliases)}
        self._world: tuple[WorldActors, dict[str, Actor]] | None = None

    def resolve(self, text: str | None) -> Actor | None:
        """The actor named in ``text`` (the longest alias found), or None."""
        if not text or self._pattern is None:
            return None
        found = self._pattern.search(fold_alias(text))
        return self._by_alias[found.group(1)] if found else None

    def find_all(self, text: str) -> list[tuple[int, int, Actor]]:
        """Every actor named in ``text`` with its span. Folding keeps offsets: it only
        lower-cases and turns hyphens and curly quotes into one character each."""
        if self._pattern is None:
            return []
        folded = text.lower().replace("’", "'").replace("-", " ")
        return [(m.start(), m.end(), self._by_alias[re.sub(r"\s+", " ", m.group(1))])
                for m in self._pattern.finditer(folded)
                if re.sub(r"\s+", " ", m.group(1)) in self._by_alias]

    def get(self, actor_id: str | None) -> Actor | None:
        return self.actors.get(actor_id) if actor_id else None

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def resolve_world(self, world_actor: WorldActor, world: WorldActors | None = None,
                      ) -> Actor | None:
        """The scenario's actor for a world actor, or None when the scenario has none.

        A scenario actor matches when one of its names is one of the world actor's
        (case-insensitive, hyphens and apostrophes aside) or a phrase the catalogue reads
        as that actor ("Syrian warplanes", "Russia"); failing that, the same for the
        world actor's parent, grandparent... ("DPR forces" fall to a scenario's
        "Russia-backed separatists", the Qassam Brigades to its "Hamas")."""
        world = world or WorldActors.default()
        index = self._world_index(world)
        for candidate in world.lineage(world_actor):
            found = index.get(candidate.id)
            if found is not None:
                return found
        return None

    def _world_index(self, world: WorldActors) -> dict[str, Actor]:
        """World actor id -> scenario actor, built on first use for this catalogue. The
        first scenario actor (in file order) to claim a world actor keeps it."""
        if self._world is not None and self._world[0] is world:
            return self._world[1]
        index: dict[str, Actor] = {}
        by_name: dict[str, Actor] = {}
        for actor in self.actors.values():
            for name in (actor.name, *actor.aliases):
                by_name.setdefault(fold_key(name), actor)
                for named in world.all_by_name(name):
                    index.setdefault(named.id, actor)
        for named in world.actors.values():
            for name in (named.name, *named.aliases):
                found = by_name.get(fold_key(name))
                if found is not None:
                    index.setdefault(named.id, found)
                    break
        self._world = (world, index)
        return index
