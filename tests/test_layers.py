"""The apps' layers (docs/architecture.md) are enforced by import-linter's contract in
pyproject.toml, which `make test` runs. These tests show that the contract holds on the code and
that it does catch an upward import, even one hidden inside a function."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("festival", "media_pipeline", "judging", "public")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


@pytest.fixture
def project_copy(tmp_path):
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_code_keeps_its_layers(project_copy):
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("festival/leak.py", "from judging.models import Jury\n"),
        ("media_pipeline/leak.py", "def f():\n    from public import demo\n"),
        ("judging/leak.py", "import public.views.gallery\n"),
    ],
)
def test_an_upward_import_breaks_the_contract(project_copy, module, line):
    (project_copy / module).write_text(line)
    result = lint_imports(project_copy)
    assert result.returncode == 1
    assert f"{module.replace('/', '.').removesuffix('.py')} ->" in result.stdout


def imports_inside_functions(app: str) -> list[str]:
    """`module:line` of every import of our apps written inside a function.

    Django's `AppConfig.ready()` is the one place for them (apps are loaded by then); anywhere
    else such an import dodges a cycle that the module split should remove.
    """
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts or path.name == "apps.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                if any(name.split(".")[0] in APPS for name in names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_import_of_our_apps_inside_a_function(app):
    assert imports_inside_functions(app) == []


def module_imports(app: str) -> dict[str, set[str]]:
    """The modules of an app and the modules of the same app each imports at its top."""
    trees = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        trees[name] = ast.parse(path.read_text(), filename=str(path))
    graph = {}
    for name, tree in trees.items():
        targets = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        graph[name] = {target for target in targets if target in trees} - {name}
    return graph


def loops_in(graph: dict[str, set[str]]) -> list[list[str]]:
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
    return loops


@pytest.mark.parametrize("app", APPS)
def test_the_modules_of_an_app_import_each_other_without_a_loop(app):
    assert loops_in(module_imports(app)) == []


def test_a_loop_between_modules_is_found():
    graph = {"a.jobs": {"a.tasks"}, "a.tasks": {"a.ladder"}, "a.ladder": {"a.jobs"}, "a.x": set()}
    assert loops_in(graph) == [["a.jobs", "a.tasks", "a.ladder", "a.jobs"]]
