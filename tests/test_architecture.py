"""The import direction of the product apps: events ← registrations ← attendance, evaluation ← reports ← desk.
events imports neither registrations nor desk (it announces what happened with
signals and hooks that others hear); registrations does not import desk; no
product app imports the demo and benchmark data; audit, which every app
writes to, imports none of them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_APPS = (
    "accounts",
    "audit",
    "events",
    "registrations",
    "attendance",
    "evaluation",
    "reports",
    "delegations",
    "travel",
    "questions",
    "desk",
    "ops",
)
FORBIDDEN = {
    "accounts": {
        "events",
        "registrations",
        "attendance",
        "evaluation",
        "reports",
        "delegations",
        "desk",
        "demo",
        "travel",
    },
    # The audit log is called by everyone and calls no one: it names the
    # event it belongs to by string ("events.Event").
    "audit": {
        "events",
        "registrations",
        "attendance",
        "evaluation",
        "reports",
        "delegations",
        "desk",
        "demo",
        "travel",
    },
    "events": {"registrations", "attendance", "evaluation", "reports", "delegations", "desk", "demo", "travel"},
    "registrations": {"attendance", "evaluation", "reports", "delegations", "desk", "demo", "travel"},
    # After the meeting: attendance and evaluation build on registrations;
    # the completion report reads them both; the desk shows all three.
    "attendance": {"evaluation", "reports", "delegations", "desk", "demo", "travel"},
    "evaluation": {"attendance", "reports", "delegations", "desk", "demo", "travel"},
    "reports": {"desk", "demo"},
    # Who comes (issue 15): delegations, funded travellers, the List of Participants.
    "delegations": {"attendance", "evaluation", "reports", "desk", "demo", "travel"},
    # Funded travellers (issue 15) build on registrations and read attendance;
    # only the desk and the completion report read them.
    "travel": {"evaluation", "reports", "delegations", "desk", "demo"},
    "desk": {"demo"},
    "ops": {"desk", "demo", "travel"},
    # The organisers' questions and follow-up forms (issue 15) build on events
    # and registrations; the desk, reports and delegations may read them.
    "questions": {"attendance", "evaluation", "reports", "delegations", "travel", "desk", "demo"},
}
# Nothing below the questions app imports it: registrations calls it through hooks.
for _app in ("accounts", "audit", "events", "registrations", "attendance", "evaluation", "travel", "ops"):
    FORBIDDEN[_app] = FORBIDDEN[_app] | {"questions"}


def imported_packages(path):
    """Top-level packages a module imports, wherever the import statement is
    (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def forbidden_imports(app, root=ROOT):
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for package, line in imported_packages(path):
            if package in FORBIDDEN[app]:
                yield f"{path.relative_to(root)}:{line} imports {package}"


@pytest.mark.parametrize("app", PRODUCT_APPS)
def test_app_imports_only_in_the_allowed_direction(app):
    assert list(forbidden_imports(app)) == []


def test_the_walk_finds_a_lazy_forbidden_import(tmp_path):
    module = tmp_path / "events" / "sneaky.py"
    module.parent.mkdir()
    module.write_text("import json\n\n\ndef f():\n    from registrations.models import Registration\n")
    assert list(forbidden_imports("events", root=tmp_path)) == ["events/sneaky.py:5 imports registrations"]
