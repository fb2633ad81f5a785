"""Each workflow's status has one writer: a scan of the code fails when anything else assigns it.

Writing the status anywhere else would skip the transition table, the calendar SEQUENCE, the audit
log and the notifications its owner takes care of. The scan reads every module of the package:
attribute assignments (`x.status = ...`, `x.sequence += 1`), `setattr(x, "status", ...)` and
`update(Model).values(status=... or **values)`. Creating a row in its first status is not a change
and stays allowed; so does the demo data set, which builds rows in their final state.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import roadshow

PACKAGE = Path(roadshow.__file__).parent

def not_scanned(path: str) -> bool:
    """The demo data set seeds rows in their final state: no transition, nobody to tell."""
    return path.startswith("demo/") or path.endswith("/demo.py")


@dataclass(frozen=True)
class Workflow:
    model: str
    status_enum: str
    fields: tuple[str, ...]  # columns only the owner writes
    owner: tuple[str, str]  # (module path under the package, function)


WORKFLOWS = (
    Workflow("RoadshowSession", "SessionStatus", ("status", "sequence", "cancellation_reason"),
             ("roadshows/lifecycle.py", "change_session_status")),
    Workflow("Project", "ProjectStatus", ("status",), ("projects/services.py", "change_status")),
    Workflow("Application", "ApplicationStatus", ("status",),
             ("screening/services.py", "change_application_status")),
    Workflow("LoanApplication", "LoanApplicationStatus", ("status",),
             ("loans/services.py", "change_loan_application_status")),
)
# The one conditional write the state machines share; calling it anywhere else would skip their rules.
WRITER = ("common/workflow.py", "write_status")
# Helpers of an owner module that may write one of its fields (not the status itself).
HELPERS = {("roadshows/lifecycle.py", "mark_changed"): {"sequence"}}
GUARDED_ENUMS = {w.status_enum: w for w in WORKFLOWS}
GUARDED_MODELS = {w.model: w for w in WORKFLOWS}
OWNERS = {w.owner for w in WORKFLOWS} | {WRITER}


class Scan(ast.NodeVisitor):
    def __init__(self, path: str):
        self.path = path
        self.function = ""
        self.aliases: dict[str, str] = {}  # local name -> imported name (`ProjectStatus as S`)
        self.touched: set[str] = set()  # fields of the workflows whose model or status this module imports
        self.found: list[str] = []

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for name in node.names:
            self.aliases[name.asname or name.name] = name.name
            workflow = GUARDED_MODELS.get(name.name) or GUARDED_ENUMS.get(name.name)
            if workflow is not None:
                self.touched.update(workflow.fields)

    def visit_FunctionDef(self, node) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def _real(self, name: str) -> str:
        return self.aliases.get(name, name)

    def _allowed(self, field: str) -> bool:
        here = (self.path, self.function)
        if here in OWNERS:
            return True
        return field in HELPERS.get(here, set())

    def _report(self, node: ast.AST, what: str) -> None:
        self.found.append(f"{self.path}:{node.lineno} in {self.function or '<module>'}: {what}")

    def _enum_of(self, value: ast.AST) -> str | None:
        """`SessionStatus.LIVE` -> "SessionStatus"; None when the value is not visibly an enum member."""
        if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
            return self._real(value.value.id)
        return None

    def _assigned(self, target: ast.AST, value: ast.AST | None, node: ast.AST) -> None:
        """`.status` is a column of many models: a write counts when its value is a guarded status, or when
        it is not visibly another enum's member (`booking.status = BookingStatus.X` is fine) in a module
        that works with a guarded model. Other guarded fields count in such modules."""
        if not isinstance(target, ast.Attribute) or self._allowed(target.attr):
            return
        enum = self._enum_of(value) if target.attr == "status" and value is not None else None
        if enum in GUARDED_ENUMS or (enum is None and target.attr in self.touched):
            shown = f" = {ast.unparse(value)}" if value is not None else ""
            self._report(node, f"assigns .{target.attr}{shown}")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Tuple):
                values = node.value.elts if isinstance(node.value, ast.Tuple) else [None] * len(target.elts)
                for element, value in zip(target.elts, values):
                    self._assigned(element, value, node)
            else:
                self._assigned(target, node.value, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned(node.target, None, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._assigned(node.target, node.value, node)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value in self.touched:
                if not self._allowed(name.value):
                    self._report(node, f"setattr(..., {name.value!r})")
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if self._real(called) == WRITER[1] and (self.path, self.function) not in OWNERS:
            self._report(node, f"calls {WRITER[1]}")
        if isinstance(func, ast.Attribute) and func.attr == "values":
            model = self._updated_model(func.value)
            if model is not None:
                fields = set(GUARDED_MODELS[model].fields)
                written = {k.arg for k in node.keywords}
                if (written & fields or None in written) and not self._allowed("status"):
                    shown = ", ".join(sorted(k or "**" for k in written))
                    self._report(node, f"update({model}).values({shown})")
        self.generic_visit(node)

    def _updated_model(self, chain: ast.AST) -> str | None:
        """The guarded model in `update(Model).where(...)...`, if the chain starts with one."""
        while isinstance(chain, ast.Call) or isinstance(chain, ast.Attribute):
            if isinstance(chain, ast.Call):
                func = chain.func
                is_update = (isinstance(func, ast.Name) and self._real(func.id) == "update") or (
                    isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name)
                    and func.value.id in ("sa", "sqlalchemy"))
                if is_update and chain.args and isinstance(chain.args[0], ast.Name):
                    model = self._real(chain.args[0].id)
                    return model if model in GUARDED_MODELS else None
                chain = func
            else:
                chain = chain.value
        return None


def scan(source: str, path: str) -> list[str]:
    visitor = Scan(path)
    visitor.visit(ast.parse(source))
    return visitor.found


def package_modules() -> list[tuple[str, str]]:
    modules = []
    for file in sorted(PACKAGE.rglob("*.py")):
        path = file.relative_to(PACKAGE).as_posix()
        if not not_scanned(path):
            modules.append((path, file.read_text(encoding="utf-8")))
    return modules


def test_only_the_owner_writes_a_workflow_status():
    modules = package_modules()
    assert len(modules) > 100 and any(path == "live/room.py" for path, _ in modules)
    found = [finding for path, source in modules for finding in scan(source, path)]
    assert found == [], "status written outside its state machine:\n" + "\n".join(found)


IMPORTS = "from ..roadshows.models import RoadshowSession, SessionStatus\n"


@pytest.mark.parametrize("source", [
    "def open_room(session):\n    session.status = SessionStatus.LIVE\n",
    IMPORTS + "def f(session, status):\n    session.status = status\n",
    IMPORTS + "def f(session, status):\n    session.title, session.status = 'x', status\n",
    IMPORTS + "def f(session):\n    session.sequence += 1\n",
    IMPORTS + "def f(session):\n    setattr(session, 'status', 'live')\n",
    "def f(ids):\n    db.session.execute(sa.update(RoadshowSession).where(RoadshowSession.id.in_(ids))"
    ".values(status=SessionStatus.ENDED))\n",
    "from x import RoadshowSession as R\ndef f(values):\n    db.session.execute(sa.update(R).values(**values))\n",
    "from ..projects.models import ProjectStatus as S\ndef f(project):\n    project.status = S.PRESENTED\n",
    "def f(ids):\n    db.session.execute(sa.update(Project).values(status=ProjectStatus.PRESENTED))\n",
    "def f(application):\n    write_status(application, ApplicationStatus.WITHDRAWN)\n",
])
def test_the_scan_catches_each_kind_of_write(source):
    assert len(scan(source, "live/room.py")) == 1


@pytest.mark.parametrize("source", [
    IMPORTS + "def f(booking):\n    booking.status = BookingStatus.CANCELLED\n",
    "def f(meeting):\n    meeting.sequence += 1\n",
    "def f(user):\n    db.session.add(RoadshowSession(status=SessionStatus.OPEN))\n",
    "def f(b):\n    db.session.execute(sa.update(Booking).values(status=BookingStatus.CANCELLED))\n",
    "def change_session_status(session, new):\n    session.status = new\n",
])
def test_the_scan_lets_other_models_creation_and_the_owner_through(source):
    assert scan(source, "roadshows/lifecycle.py" if "change_session_status" in source else "x.py") == []
