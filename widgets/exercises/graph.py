"""Checking a branching scenario's graph: every node reachable, every path able to end, every choice going
somewhere. Plain ids only (no content or widget imports), so the content parser and the tests can use it."""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def graph_problems(start: str, edges: Mapping[str, Iterable[tuple[str, str]]], endings: Iterable[str]) -> list[str]:
    """Problems with a scenario graph, each naming the node or choice to fix; [] when the graph is sound.

    `edges` maps each node id to its (choice id, next node id) pairs; `endings` are the nodes that end the
    scenario (they have no choices). Reports: a start that is not a node; choices pointing to no node;
    nodes that cannot be reached from the start; dead ends (a node with no choices that is not an ending);
    and nodes from which no ending can be reached (a loop with no way out).
    """
    nodes = {node: list(pairs) for node, pairs in edges.items()}
    endings = set(endings)
    problems: list[str] = []
    if start not in nodes:
        return [f"the start node {start!r} is not one of the nodes ({', '.join(sorted(nodes)) or 'none'})"]
    for node, pairs in nodes.items():
        for choice, target in pairs:
            if target not in nodes:
                problems.append(f"choice {choice!r} in node {node!r} points to {target!r}, which is not a node")
    for ending in sorted(endings - set(nodes)):
        problems.append(f"ending {ending!r} is not a node")
    for node, pairs in nodes.items():
        if node in endings and pairs:
            problems.append(f"node {node!r} is an ending but has choices")
        if node not in endings and not pairs:
            problems.append(f"node {node!r} is a dead end: it has no choices and is not marked as an ending")
    reachable = _reachable(start, nodes)
    for node in nodes:
        if node not in reachable:
            problems.append(f"node {node!r} cannot be reached from the start node {start!r}")
    can_end = _can_reach_an_ending(nodes, endings)
    for node in nodes:
        if node in reachable and node not in can_end and nodes[node]:
            problems.append(f"node {node!r} is a dead end: no ending can be reached from it (a loop with no way out)")
    return problems


def _reachable(start: str, nodes: Mapping[str, list[tuple[str, str]]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for _, target in nodes.get(todo.pop(), ()):
            if target in nodes and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _can_reach_an_ending(nodes: Mapping[str, list[tuple[str, str]]], endings: set[str]) -> set[str]:
    """Nodes from which some path leads to an ending (walking the edges backwards from the endings)."""
    incoming: dict[str, set[str]] = {}
    for node, pairs in nodes.items():
        for _, target in pairs:
            incoming.setdefault(target, set()).add(node)
    found = {e for e in endings if e in nodes}
    todo = list(found)
    while todo:
        for source in incoming.get(todo.pop(), ()):
            if source not in found:
                found.add(source)
                todo.append(source)
    return found
