"""Every fixed refusal the app raises is in the catalogue of domain error messages, so that
DomainError.message shows it in the reader's language (a Polish phone or dashboard gets Polish).

The check reads the source: each `raise SomeDomainError("text")` with a literal text, in every
module of the app. A text with values in it is raised as a template and its values
(`raise InvalidValueError("%(label)s takes %(low)s to %(high)s.", label=..., ...)`), so that the
template is translated before it is filled in; a text built at run time (an f-string) could not
be, and is refused by the second test.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from domain.error_messages import DOMAIN_ERROR_MESSAGES
from domain.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "domain", "models", "services", "facilitator", "participant")

# Malformed requests: only a client other than the app's own pages sends them, and their texts
# name the protocol's fields (skill_id, comment_id, {"picks": [...]}), which stay as they are.
PROTOCOL_ERRORS = {"BadPayloadError"}
PROTOCOL_MESSAGES = {
    "reason must be text.": "services/rounds.py: the payload's reason is not a string",
}


def _domain_errors() -> set[str]:
    import domain

    for module in pkgutil.walk_packages(domain.__path__, "domain."):
        importlib.import_module(module.name)
    found, todo = set(), [DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub.__name__)
            todo.append(sub)
    return found | {"DomainError"}


def _raises(root: Path) -> Iterator[tuple[str, str, ast.expr]]:
    """(where, error class, first argument) of every domain error raised with an argument."""
    errors = _domain_errors()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                    continue
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in errors:
                    yield f"{path.relative_to(root)}:{node.lineno}", name, node.exc.args[0]


def raised_messages(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """(where, error class, text) of every domain error raised with a literal text."""
    return [
        (where, name, text.value)
        for where, name, text in _raises(root)
        if isinstance(text, ast.Constant) and isinstance(text.value, str)
    ]


def built_messages(root: Path = ROOT) -> list[str]:
    """Where a domain error is raised with a text built at run time in English (an f-string, %,
    + or .format; a text translated where it is raised, `_("...", n=...)`, is not one)."""
    return [
        f"{where} {name}: {ast.unparse(text)}"
        for where, name, text in _raises(root)
        if name not in PROTOCOL_ERRORS
        and (
            isinstance(text, ast.JoinedStr | ast.BinOp)
            or (isinstance(text, ast.Call) and getattr(text.func, "attr", "") == "format")
        )
    ]


def test_every_fixed_refusal_is_in_the_catalogue() -> None:
    raised = raised_messages()
    assert len(raised) > 40  # the scan itself found the refusals
    listed = set(DOMAIN_ERROR_MESSAGES)
    missing = [
        f"{where} {name}: {text!r}"
        for where, name, text in raised
        if text not in listed and name not in PROTOCOL_ERRORS and text not in PROTOCOL_MESSAGES
    ]
    assert not missing, "not in domain/error_messages.py:\n" + "\n".join(missing)
    assert set(PROTOCOL_MESSAGES) <= {text for _where, _name, text in raised}  # still raised


def test_no_refusal_is_built_at_run_time() -> None:
    """A refusal's text built at run time cannot be found in the catalogue: it would reach every
    reader in English. Raise the template and its values instead (domain.errors.DomainError)."""
    built = built_messages()
    assert not built, "raise the template and its values instead:\n" + "\n".join(built)


def test_the_scan_finds_a_refusal_outside_the_catalogue(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "x.py").write_text(
        "from domain.errors import InvalidStateError\n"
        "import domain.errors as errors\n"
        "def f(a):\n"
        "    if a:\n"
        "        raise InvalidStateError('Not now.')\n"
        "    raise errors.ItemLockedError(f'No {a}.')\n"
    )
    assert raised_messages(tmp_path) == [("services/x.py:5", "InvalidStateError", "Not now.")]
    assert built_messages(tmp_path) == ["services/x.py:6 ItemLockedError: f'No {a}.'"]
