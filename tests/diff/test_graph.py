"""The plan's order: each node after what it needs, ties and cycles settled by rank."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet

from hypothesis import given
from hypothesis import strategies as st

from pgalign.catalog.model import Key
from pgalign.diff.graph import cycles, sort_key, topological

KINDS = ["table", "view", "index", "function", "policy", "column"]  # "column" has no rank
keys = st.tuples(st.sampled_from(KINDS), st.sampled_from(["a", "b", "c", "d", "e", "f"]))
graphs = st.lists(keys, min_size=0, max_size=14, unique=True).flatmap(
    lambda nodes: st.tuples(
        st.just(nodes),
        # edges may point outside the nodes, to the node itself, and form cycles
        st.dictionaries(
            st.sampled_from(nodes) if nodes else st.nothing(),
            st.frozensets(st.sampled_from([*nodes, ("schema", "elsewhere")]), max_size=4),
        ),
    )
)


def smallest_first(nodes: list[Key], needs: Callable[[Key], AbstractSet[Key]]) -> list[Key]:
    """The order by definition: the smallest ready node next; when none is ready, the
    smallest node left is taken as ready (a cycle broken there)."""
    left = set(nodes)
    forced: set[Key] = set()
    ordered: list[Key] = []
    while left:
        ready = [n for n in left if n in forced or not (needs(n) & left) - {n}]
        if not ready:
            forced.add(min(left, key=sort_key))
            continue
        node = min(ready, key=sort_key)
        ordered.append(node)
        left.remove(node)
    return ordered


@given(graphs)
def test_order_is_the_smallest_ready_node_first(
    graph: tuple[list[Key], dict[Key, frozenset[Key]]],
) -> None:
    nodes, edges = graph

    def needs(key: Key) -> frozenset[Key]:
        return edges.get(key, frozenset())

    assert topological(nodes, needs) == smallest_first(nodes, needs)


def test_dependencies_come_first_whatever_their_rank() -> None:
    view, table, index = ("view", "v"), ("table", "t"), ("index", "i")
    edges = {table: frozenset({view}), index: frozenset({table})}
    order = topological([index, table, view], lambda key: edges.get(key, frozenset()))
    assert order == [view, table, index]


def test_a_cycle_is_broken_at_its_smallest_node() -> None:
    a, b = ("table", "a"), ("table", "b")
    edges = {a: frozenset({b}), b: frozenset({a})}
    broken: list[Key] = []
    assert topological([b, a], lambda key: edges[key], broken) == [a, b]
    assert broken == [a]


def reachable(start: Key, needs: Callable[[Key], AbstractSet[Key]], nodes: set[Key]) -> set[Key]:
    seen: set[Key] = set()
    todo = [start]
    while todo:
        for other in needs(todo.pop()) & nodes:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


@given(graphs)
def test_cycles_are_the_nodes_that_reach_each_other(
    graph: tuple[list[Key], dict[Key, frozenset[Key]]],
) -> None:
    nodes, edges = graph

    def needs(key: Key) -> frozenset[Key]:
        return edges.get(key, frozenset())

    members = set(nodes)
    reach = {node: reachable(node, needs, members) for node in members}
    expected = {
        frozenset(other for other in members if other in reach[node] and node in reach[other])
        | {node}
        for node in members
    }
    assert sorted(map(sorted, cycles(nodes, needs))) == sorted(
        sorted(group) for group in expected if len(group) > 1
    )
