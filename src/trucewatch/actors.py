"""Actor dictionary: turns the words a report uses ("Syrian warplanes",
"regime aircraft") into the scenario's actor ids."""

from __future__ import annotations

import re
from collections.abc import Iterable

from trucewatch.model import Actor


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
