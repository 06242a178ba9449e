"""Order statements from a dependency graph: dependencies first, ties broken stably."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
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
            "text_search_dictionary",
            "text_search_configuration",
            "type",
            "function",
            "cast",
            "operator",
            "foreign_data_wrapper",
            "server",
            "sequence",
            "table",
            "owned_by",
            "constraint",
            "index",
            "statistics",
            "view",
            "trigger",
            "rule",
            "policy",
            "publication",
            "event_trigger",
            "default_privilege",
        )
    )
}


def sort_key(key: Key) -> tuple[int, str, str]:
    return (KIND_RANK.get(key[0], len(KIND_RANK)), key[1], key[0])


def topological(
    nodes: Iterable[Key],
    needs: Callable[[Key], AbstractSet[Key]],
    broken: list[Key] | None = None,
) -> list[Key]:
    """`nodes` ordered so that each comes after what it `needs` (among `nodes`).

    A cycle (which PostgreSQL's own dependencies cannot form, but our extra edges might) is
    broken at its smallest node rather than failing; that node is added to `broken`.
    """
    # Nodes become their rank in tie-break order: the heap then compares plain integers.
    order = sorted(set(nodes), key=sort_key)
    rank = {node: position for position, node in enumerate(order)}
    waiting = [0] * len(order)
    dependents: list[list[int]] = [[] for _ in order]
    for position, node in enumerate(order):
        for dep in needs(node):
            found = rank.get(dep)
            if found is not None and found != position:
                waiting[position] += 1
                dependents[found].append(position)
    ready = [position for position, count in enumerate(waiting) if count == 0]  # a heap
    done = [False] * len(order)
    ordered: list[Key] = []
    smallest_left = 0
    while len(ordered) < len(order):
        if not ready:
            while done[smallest_left]:
                smallest_left += 1
            ready.append(smallest_left)
            if broken is not None:
                broken.append(order[smallest_left])
        position = heapq.heappop(ready)
        if done[position]:
            continue
        done[position] = True
        ordered.append(order[position])
        for dependent in dependents[position]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0 and not done[dependent]:
                heapq.heappush(ready, dependent)
    return ordered


def cycles(nodes: Iterable[Key], needs: Callable[[Key], AbstractSet[Key]]) -> list[frozenset[Key]]:
    """The groups of `nodes` that need each other in a circle (strongly connected
    components of more than one node), by Tarjan's algorithm without recursion."""
    members = set(nodes)
    number: dict[Key, int] = {}
    low: dict[Key, int] = {}
    stack: list[Key] = []
    on_stack: set[Key] = set()
    found: list[frozenset[Key]] = []

    def enter(node: Key) -> Iterator[Key]:
        number[node] = low[node] = len(number)
        stack.append(node)
        on_stack.add(node)
        return iter(needs(node) & members)

    for root in sorted(members, key=sort_key):
        if root in number:
            continue
        path = [(root, enter(root))]
        while path:
            node, edges = path[-1]
            for other in edges:
                if other not in number:
                    path.append((other, enter(other)))
                    break
                if other in on_stack:
                    low[node] = min(low[node], number[other])
            else:
                path.pop()
                if path:
                    parent = path[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == number[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(frozenset(group))
    return found
