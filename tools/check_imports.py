"""Check the packages' import graph: no cycles, and the product core imports no interface.

    python tools/check_imports.py            # exit 1 and a line per problem, 0 when clean

Every import counts, including those inside functions and under TYPE_CHECKING: a lazy import
still ties two modules together. Rules:
- no cycle among the modules of qa_bot, qa_web and qa_eval;
- qa_bot (the library) imports neither qa_web, qa_eval, gradio, fastapi nor uvicorn, except its
  command line (qa_bot.cli), an interface that imports the web app and the evaluation lazily.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qa_bot", "qa_web", "qa_eval")
INTERFACES = ("qa_web", "qa_eval", "gradio", "fastapi", "uvicorn")
CORE_INTERFACE_MODULES = {"qa_bot.cli"}


def module_files(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the packages found under `root`."""
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module name `name` imports (resolved against `modules` where it is one of ours)."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def problems(root: Path = ROOT) -> list[str]:
    """One line per cycle and per interface the core imports."""
    modules = module_files(root)
    imported = {name: imports_of(name, path, modules) for name, path in modules.items()}
    graph = {name: {m for m in targets if m in modules and m != name} for name, targets in imported.items()}
    found = [f"import cycle: {' <-> '.join(group)}" for group in cycles(graph)]
    for name, targets in sorted(imported.items()):
        if name.split(".")[0] != "qa_bot" or name in CORE_INTERFACE_MODULES:
            continue
        for target in sorted(targets):
            if target.split(".")[0] in INTERFACES:
                found.append(f"{name} imports {target}: the library must not know its interfaces")
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"import graph: no cycles, core imports no interface ({len(module_files())} modules)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
