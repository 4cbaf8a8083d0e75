"""Import contracts, read from the source (every import, also those inside functions):

- layers point one way: pages -> state -> services -> core; the REST API and the scheduler
  (astrobookings/api, astrobookings/jobs) sit beside state/, the app and dev tooling on top;
- nothing below state/ imports reflex, fastapi or starlette;
- pages never call services directly: they go through their state;
- a domain imports another domain only through its public surface (its package `__init__`),
  and the shared kernel imports no domain.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("auth", "agency", "booking", "finance", "notify", "sync", "monitor")
WEB_FRAMEWORKS = ("reflex", "fastapi", "starlette")
EDGES = ("astrobookings.api", "astrobookings.jobs")
TOP = ("astrobookings.astrobookings", "astrobookings.dev", "astrobookings.worker")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names imported from it, line) for every import statement of a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [alias.name for alias in node.names], node.lineno))
    return found


def _sources() -> list[Path]:
    return sorted(p for folder in ("astrobookings", "services", "state", "pages", "components")
                  for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts)


def _layer(module: str) -> int:
    """Core 0, services 1, state and edges 2, components and pages 3, app and dev tooling 4."""
    if module.startswith(TOP) or module == "rxconfig":
        return 4
    if module.startswith(("pages", "components")):
        return 3
    if module.startswith(("state",) + EDGES):
        return 2
    if module.startswith("services"):
        return 1
    return 0


def _is_ours(module: str) -> bool:
    return module.split(".")[0] in ("astrobookings", "services", "state", "pages", "components")


def _violations() -> list[str]:
    problems = []
    for path in _sources():
        me = _module_name(path)
        where = f"{path.relative_to(ROOT)}"
        for target, names, line in _imports(path):
            at = f"{where}:{line} imports {target}"
            if _layer(me) < 2 and target.split(".")[0] in WEB_FRAMEWORKS:
                problems.append(f"{at}: nothing below state/ imports a web framework")
            if not _is_ours(target):
                continue
            if _layer(target) > _layer(me) and not (me.startswith("components") and target.startswith("state")):
                problems.append(f"{at}: a lower layer imports a higher one")
            if me.startswith("pages") and target.startswith("services"):
                problems.append(f"{at}: pages reach services through their state")
            problems += _domain_problems(me, target, names, at)
    return problems


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "services" and len(parts) > 1 else None


def _domain_problems(me: str, target: str, names: list[str], at: str) -> list[str]:
    mine, theirs = _domain_of(me), _domain_of(target)
    if mine is None or theirs is None or mine == theirs or theirs == "kernel":
        return []
    if mine == "kernel":
        return [f"{at}: the kernel imports no domain"]
    package = ROOT / "services" / theirs
    internal = target != f"services.{theirs}" or any((package / f"{n}.py").exists() or (package / n).is_dir() for n in names)
    return [f"{at}: another domain only through its public surface (services.{theirs})"] if internal else []


def test_the_seven_domains_and_the_kernel_exist():
    assert all((ROOT / "services" / d / "__init__.py").exists() for d in DOMAINS + ("kernel",))
    assert not [p.name for p in (ROOT / "services").glob("*.py") if p.name != "__init__.py"], "services/ holds only domains"


def test_import_contracts_hold():
    assert _violations() == []


@pytest.mark.parametrize("source, code, expected", [
    ("services/agency/x.py", "from services.booking.rules import is_ahead", "public surface"),
    ("services/agency/x.py", "from services.booking import rules", "public surface"),
    ("services/kernel/x.py", "from services.booking import is_ahead", "kernel imports no domain"),
    ("services/booking/x.py", "import reflex as rx", "web framework"),
    ("astrobookings/models/x.py", "from fastapi import Depends", "web framework"),
    ("services/booking/x.py", "from state.session import SessionState", "higher one"),
    ("pages/public/x.py", "from services.booking import is_ahead", "through their state"),
])
def test_each_contract_catches_its_breach(tmp_path, monkeypatch, source, code, expected):
    """The checker itself can fail: a planted breach of each rule is reported."""
    fake = tmp_path / source
    fake.parent.mkdir(parents=True)
    fake.write_text(f"def f():\n    {code}\n")
    (tmp_path / "services" / "booking").mkdir(parents=True, exist_ok=True)
    (tmp_path / "services" / "booking" / "rules.py").write_text("")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    problems = _violations()
    assert len(problems) == 1 and expected in problems[0], problems
