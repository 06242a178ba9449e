"""Order statements from a dependency graph: dependencies first, ties broken stably."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet

from pgalign.catalog.model import Key

# Among objects with no dependency between them, create in this order (and drop reversed).
KIND_RANK = {
    kind: rank
    for rank, kind in enumerate(
        (
            "schema",
            "extension",
            "collation",
            "type",
            "function",
            "sequence",
            "table",
            "owned_by",
            "constraint",
            "index",
            "view",
            "trigger",
            "policy",
            "publication",
            "event_trigger",
            "default_privilege",
        )
    )
}


def sort_key(key: Key) -> tuple[int, str, str]:
    return (KIND_RANK.get(key[0], len(KIND_RANK)), key[1], key[0])


def topological(nodes: Iterable[Key], needs: Callable[[Key], AbstractSet[Key]]) -> list[Key]:
    """`nodes` ordered so that each comes after what it `needs` (among `nodes`).

    A cycle (which PostgreSQL's own dependencies cannot form, but our extra edges might) is
    broken at its smallest node rather than failing.
    """
    todo = set(nodes)
    before: Mapping[Key, set[Key]] = {node: (todo & needs(node)) - {node} for node in todo}
    dependents: dict[Key, list[Key]] = defaultdict(list)
    for node, deps in before.items():
        for dep in deps:
            dependents[dep].append(node)
    waiting = {node: len(deps) for node, deps in before.items()}
    ready = [(sort_key(node), node) for node, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered: list[Key] = []
    done: set[Key] = set()
    while len(ordered) < len(todo):
        if not ready:
            stuck = min((n for n in todo if n not in done), key=sort_key)
            waiting[stuck] = 0
            ready.append((sort_key(stuck), stuck))
        _, node = heapq.heappop(ready)
        if node in done:
            continue
        done.add(node)
        ordered.append(node)
        for dependent in dependents[node]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0 and dependent not in done:
                heapq.heappush(ready, (sort_key(dependent), dependent))
    return ordered
