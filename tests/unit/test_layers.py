"""Import contracts, read from the source (every import, also those inside functions).

The floors, top to bottom; a module imports its own floor or a lower one, never a higher one:

    app      astrobookings (the Reflex app module, api/, jobs/, worker, dev/), rxconfig
    pages    pages/, components/
    state    state/
    domains  services/<domain>
    kernel   services/kernel
    core     services/core

- the REST API and the scheduler (astrobookings/api, astrobookings/jobs) are peers of state/: they
  call the services themselves, never through state/ or pages/;
- nothing below state/ imports reflex, fastapi or starlette;
- pages never call a domain directly: they go through their state (core is theirs to read:
  formatting and models are the one source of how things are written);
- a domain imports another domain only through its public surface, the package `__init__`
  (`from services.booking import cancel_for_aborted_launch`), never one of its modules;
- no import circle between files, and only absolute imports (so every arrow can be read here).
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("auth", "agency", "booking", "finance", "notify", "sync", "monitor")
WEB_FRAMEWORKS = ("reflex", "fastapi", "starlette")
PACKAGES = ("astrobookings", "services", "state", "pages", "components")
FLOORS = ("core", "kernel", "domains", "state", "pages", "app")
PEERS_OF_STATE = ("astrobookings.api", "astrobookings.jobs")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int, int]]:
    """(module, names imported from it, line, relative level) for every import of a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", [alias.name for alias in node.names], node.lineno, node.level))
    return found


def _sources() -> list[Path]:
    files = [p for folder in PACKAGES for p in (ROOT / folder).rglob("*.py")]
    return sorted(files + [ROOT / "rxconfig.py"])


def _is_ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES + ("rxconfig",)


def _floor(module: str) -> int:
    parts = module.split(".")
    if parts[0] in ("astrobookings", "rxconfig"):
        name = "app"
    elif parts[0] in ("pages", "components"):
        name = "pages"
    elif parts[0] == "state":
        name = "state"
    elif parts[:2] == ["services", "core"]:
        name = "core"
    elif parts[:2] == ["services", "kernel"]:
        name = "kernel"
    else:
        name = "domains"  # services itself (its docstring) counts as the domains' floor
    return FLOORS.index(name)


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "services" and len(parts) > 1 and parts[1] not in ("core", "kernel"):
        return parts[1]
    return None


def _targets(target: str, names: list[str], known: set[str]) -> set[str]:
    """The files an import statement loads: `from a.b import c` is a.b.c when that is a module of
    ours, else a.b; `import a.b.c` is its longest prefix that is a module of ours."""
    found = {f"{target}.{n}" for n in names if f"{target}.{n}" in known}
    if len(found) < len(names) or not names:
        parts = target.split(".")
        prefixes = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
        found |= next(({p} for p in prefixes if p in known), set())
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _sources()}
    graph = {}
    for me, path in modules.items():
        graph[me] = set()
        for target, names, _, level in _imports(path):
            if level == 0 and _is_ours(target):
                graph[me] |= _targets(target, names, set(modules)) - {me}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one file (Tarjan), each sorted."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _violations() -> list[str]:
    problems = []
    for path in _sources():
        me = _module_name(path)
        where = f"{path.relative_to(ROOT)}"
        for target, names, line, level in _imports(path):
            at = f"{where}:{line} imports {'.' * level}{target}"
            if level:
                problems.append(f"{at}: only absolute imports")
                continue
            if _floor(me) <= FLOORS.index("domains") and target.split(".")[0] in WEB_FRAMEWORKS:
                problems.append(f"{at}: nothing below state/ imports a web framework")
            if not _is_ours(target):
                continue
            if _floor(target) > _floor(me):
                problems.append(f"{at}: the {FLOORS[_floor(me)]} floor imports the higher {FLOORS[_floor(target)]} floor")
            if me.startswith(PEERS_OF_STATE) and _floor(target) in (FLOORS.index("state"), FLOORS.index("pages")):
                problems.append(f"{at}: the REST API and the scheduler are peers of state/: they call services")
            if me.startswith("pages") and _domain_of(target) or me.startswith("pages") and _floor(target) == FLOORS.index("kernel"):
                problems.append(f"{at}: pages reach services through their state")
            problems += _domain_problems(me, target, names, at)
    problems += [f"import circle: {' <-> '.join(group)}" for group in _cycles(_graph())]
    return problems


def _domain_problems(me: str, target: str, names: list[str], at: str) -> list[str]:
    mine, theirs = _domain_of(me), _domain_of(target)
    if mine is None or theirs is None or mine == theirs:
        return []
    package = ROOT / "services" / theirs
    internal = target != f"services.{theirs}" or any((package / f"{n}.py").exists() or (package / n).is_dir() for n in names)
    return [f"{at}: another domain only through its public surface (services.{theirs})"] if internal else []


def test_the_seven_domains_the_kernel_and_the_core_exist():
    assert all((ROOT / "services" / d / "__init__.py").exists() for d in DOMAINS + ("kernel", "core"))
    assert not [p.name for p in (ROOT / "services").glob("*.py") if p.name != "__init__.py"], "services/ holds only packages"


def test_the_app_package_holds_no_core():
    """astrobookings/ is the top floor only: the app module, REST, jobs, worker, the admin console, dev tooling."""
    assert sorted(p.name for p in (ROOT / "astrobookings").iterdir() if p.name != "__pycache__") == [
        "__init__.py", "admin.py", "api", "astrobookings.py", "dev", "jobs", "worker.py"]


def test_the_install_keeps_its_data_in_the_repository():
    """settings.ROOT is the repository (where rxconfig.py is), so data_dir is <repo>/var."""
    from services.core import migrate, settings
    assert (settings.ROOT / "rxconfig.py").is_file()
    assert settings.Settings.model_fields["data_dir"].default == ROOT / "var"
    assert (migrate.MIGRATIONS / "env.py").is_file()


def test_import_contracts_hold():
    assert _violations() == []


def _plant(tmp_path: Path, files: dict[str, str]) -> None:
    (tmp_path / "rxconfig.py").write_text("")
    (tmp_path / "services" / "booking").mkdir(parents=True, exist_ok=True)
    (tmp_path / "services" / "booking" / "rules.py").write_text("")
    for source, code in files.items():
        fake = tmp_path / source
        fake.parent.mkdir(parents=True, exist_ok=True)
        fake.write_text(f"def f():\n    {code}\n")


@pytest.mark.parametrize("source, code, expected", [
    ("services/agency/x.py", "from services.booking.rules import is_ahead", "public surface"),
    ("services/agency/x.py", "from services.booking import rules", "public surface"),
    ("services/kernel/x.py", "from services.booking import is_ahead", "kernel floor imports the higher domains"),
    ("services/core/x.py", "from services.kernel import outbox", "core floor imports the higher kernel"),
    ("services/core/x.py", "from services.booking import is_ahead", "core floor imports the higher domains"),
    ("services/booking/x.py", "import reflex as rx", "web framework"),
    ("services/core/models/x.py", "from fastapi import Depends", "web framework"),
    ("services/booking/x.py", "from state.session import SessionState", "domains floor imports the higher state"),
    ("state/x.py", "from pages.public import index", "state floor imports the higher pages"),
    ("pages/x.py", "import astrobookings.api", "pages floor imports the higher app"),
    ("pages/public/x.py", "from services.booking import is_ahead", "through their state"),
    ("astrobookings/api/x.py", "from state.session import SessionState", "peers of state"),
    ("astrobookings/jobs/x.py", "import pages.public.index", "peers of state"),
    ("services/booking/x.py", "from . import rules", "only absolute imports"),
])
def test_each_contract_catches_its_breach(tmp_path, monkeypatch, source, code, expected):
    """The checker itself can fail: a planted breach of each rule is reported."""
    _plant(tmp_path, {source: code})
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    problems = _violations()
    assert len(problems) == 1 and expected in problems[0], problems


def test_an_import_circle_is_caught_even_through_a_function(tmp_path, monkeypatch):
    _plant(tmp_path, {"services/core/logs.py": "from services.core.mongo import system_db",
                      "services/core/mongo.py": "from services.core import logs",
                      "services/core/db.py": "from services.core import logs"})
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _violations() == ["import circle: services.core.logs <-> services.core.mongo"]
