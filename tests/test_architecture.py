"""The house's rules, checked on the code: no import cycles, Flask only in the web rooms,
no module over 400 lines (docs/architecture.md).

The import graph is built with ast from every module of hub/ and sync/, counting imports
inside functions too: a function-level import is still a dependency, only a later one.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hub", "sync")
MAX_LINES = 400
# Where Flask may be imported: the web room, the app factory, the central receiver.
FLASK_ROOMS = ("hub.web", "sync.central")
FLASK_FILES = ("hub",)  # hub/__init__.py: create_app


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The hub/sync modules `name` imports anywhere in its body (and the external roots)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets.add(base)
            for alias in node.names:  # `from hub.catalog import store` imports a module
                if f"{base}.{alias.name}" in modules:
                    targets.add(f"{base}.{alias.name}")
    return targets


def _graph():
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        edges = set()
        for target in _imports(name, path, modules):
            # importing hub.a.b runs hub.a's __init__ too, but that is no design dependency;
            # count the module itself, else the nearest package that exists.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and target not in PACKAGES:
                edges.add(target)
        graph[name] = edges
    return modules, graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_no_import_cycles():
    """No two modules of hub/ or sync/ need each other, even through function-level imports."""
    _, graph = _graph()
    assert _cycles(graph) == []


def test_flask_only_in_the_web_rooms():
    """Flask (and flask_babel) is imported only by hub.web, create_app and sync.central."""
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        if name in FLASK_FILES or any(name == room or name.startswith(room + ".") for room in FLASK_ROOMS):
            continue
        roots = {target.split(".")[0] for target in _imports(name, path, modules)}
        if roots & {"flask", "flask_babel"}:
            offenders.append(name)
    assert offenders == []


def test_no_module_over_400_lines():
    """Every module of hub/ and sync/ does one job, in at most 400 lines."""
    too_long = {name: n for name, path in _modules().items()
                if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


def test_the_domain_rooms_never_import_the_web_room():
    """core, catalog, learning, accounts, ops and sync (outside central) work without hub.web."""
    _, graph = _graph()
    domain = ("hub.core", "hub.catalog", "hub.learning", "hub.accounts", "hub.ops", "sync")
    offenders = sorted((name, target) for name, targets in graph.items() for target in targets
                       if name.startswith(domain) and not name.startswith("sync.central")
                       and target.startswith("hub.web"))
    assert offenders == []
