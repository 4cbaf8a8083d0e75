"""Every page state of a signed-in portal holds data only its user may see: it must derive from
PortalState (reset whenever the person behind the tab changes) and its loader must start by
clearing (`self._reset_portal()`, or `@acting_as(..., reset=True)` which does it before the role
check), before anything else can run or be sent. Read from the source."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTALS = ("traveler", "agency", "finance", "it", "admin")


def _page_states():
    for portal in PORTALS:
        for path in sorted((ROOT / "state" / portal).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "").endswith("State") for b in node.bases):
                    yield path.relative_to(ROOT), node


def test_portal_page_states_derive_from_portal_state():
    found = list(_page_states())
    assert len(found) >= 15
    wrong = [f"{path}: {cls.name}" for path, cls in found if "PortalState" not in [getattr(b, "id", "") for b in cls.bases]]
    assert not wrong, f"portal page states must derive from PortalState: {wrong}"


def test_portal_loaders_clear_before_anything_else():
    wrong = []
    for path, cls in _page_states():
        for fn in cls.body:
            if isinstance(fn, ast.FunctionDef) and fn.name == "load":
                first = ast.unparse(fn.body[0]) if fn.body else ""
                resets_first = any("acting_as(" in ast.unparse(d) and "reset=True" in ast.unparse(d)
                                   for d in fn.decorator_list)
                if first != "self._reset_portal()" and not resets_first:
                    wrong.append(f"{path}: {cls.name}.load starts with {first!r}")
    assert not wrong, wrong
