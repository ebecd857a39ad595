"""How the media pipeline's modules import each other: downwards only, at the top of a module.

An import inside a function hides a loop between modules; the apps' ready() is the one place
for them (callbacks registered with the layers below).
"""

import ast
from pathlib import Path

import media_pipeline

ROOT = Path(media_pipeline.__file__).parent


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = ast.parse(path.read_text(), filename=str(path))
    return found


def imported(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return []


def test_no_import_inside_a_function():
    inside = []
    for name, tree in modules().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if name == "media_pipeline.apps" and node.name == "ready":
                continue
            inside += [
                f"{name}.{node.name}: {target}"
                for child in ast.walk(node)
                for target in imported(child)[:1]
            ]
    assert inside == []


def test_modules_import_each_other_without_a_loop():
    trees = modules()
    graph = {
        name: {target for node in tree.body for target in imported(node) if target in trees}
        - {name}
        for name, tree in trees.items()
    }
    done, path, loops = set(), [], []

    def visit(name):
        path.append(name)
        for target in sorted(graph[name]):
            if target in path:
                loops.append(path[path.index(target) :] + [target])
            elif target not in done:
                visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        if name not in done:
            visit(name)
    assert loops == []


def test_the_festival_app_never_imports_the_media_pipeline():
    festival = ROOT.parent / "festival"
    # Being moved to the public app, which sits above the media pipeline.
    moving = {"demo.py", "gallery.py", "public.py"}
    offenders = []
    for path in sorted(festival.rglob("*.py")):
        if "migrations" in path.parts or path.name in moving:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            offenders += [
                f"{path.relative_to(festival)}: {target}"
                for target in imported(node)[:1]
                if target.split(".")[0] == "media_pipeline"
            ]
    assert offenders == []
