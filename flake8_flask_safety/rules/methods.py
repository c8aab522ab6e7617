"""FKS2xx: HTTP methods (FKS201-FKS204) and POST-Redirect-GET (FKS601)."""

from __future__ import annotations

import re
from typing import Iterator

from astroid import nodes

from ..model import FlaskFile
from ..model.effects import DATABASE_KINDS, Effect, state_changes
from ..model.index import source_position
from ..model.methods import (
    BODY_METHODS,
    HTTP_METHODS,
    MethodSet,
    ViewMethodModel,
    ViewMethods,
    is_validate_on_submit,
    leaves,
    route_methods_problem,
)
from ..options import Options
from . import Finding

MESSAGES = {
    "FKS201": "request body read ({what}) where only {methods} requests reach: {why}",
    "FKS202": "branch on request.method {test} that this view never receives ({why}): the branch is dead code",
    "FKS203": "invalid methods= for a route: {why}",
    "FKS204": (
        "view only GET reaches changes stored state ({what}): "
        "links, prefetchers and crawlers trigger it and any site can forge it"
    ),
    "FKS601": (
        "render_template() after a POST changed state ({what}): "
        "refreshing the page submits it again; redirect instead (Post/Redirect/Get)"
    ),
}

_REQUEST = "flask.request"
_BODY_ATTRIBUTES = {
    "form": "request.form", "files": "request.files", "json": "request.json", "data": "request.data",
    "get_json": "request.get_json()", "get_data": "request.get_data()",
}
_RENDER = frozenset({"flask.render_template", "flask.templating.render_template"})
# E-mail confirmation links and OAuth redirects arrive as GET by design (the token authenticates).
_LINK_TARGET_WORDS = frozenset(
    {"oauth", "oauth2", "callback", "authorize", "authorized", "verify", "verification", "confirm",
     "confirmation", "activate", "activation"}
)
_WORD = re.compile(r"[a-z0-9]+")
_NESTED = (nodes.FunctionDef, nodes.AsyncFunctionDef, nodes.Lambda, nodes.ClassDef)


def check(file: FlaskFile, options: Options) -> Iterator[Finding]:
    if file.is_test_module or (not file.routes and not file.index.classes):
        return  # tests register throwaway routes, often to check Flask's own errors
    yield from _invalid_methods(file)
    model = file.view_methods
    for view in model.function_views():
        if view.class_based:
            yield from _post_redirect_get(file, model, view, state_changes(file, view.function))
        elif not view.invalid_methods and view.accepted is not None:
            yield from _check_function_view(file, model, view, view.accepted)


def _check_function_view(
    file: FlaskFile, model: ViewMethodModel, view: ViewMethods, accepted: MethodSet
) -> Iterator[Finding]:
    reads, comparisons = _scan_view(file, model, view.function)
    yield from _dead_comparisons(model, view, comparisons)
    finding = _body_read_for_get(model, view, reads)
    if finding is not None:
        yield finding
    effects = state_changes(file, view.function)
    if accepted & BODY_METHODS:
        yield from _post_redirect_get(file, model, view, effects)
    else:
        finding = _get_changes_state(model, view, effects)
        if finding is not None:
            yield finding


# -- FKS203 -------------------------------------------------------------------------------------
def _invalid_methods(file: FlaskFile) -> Iterator[Finding]:
    for route in file.routes:
        why = route_methods_problem(route)
        if why is not None and route.methods_node is not None:
            yield Finding.at(route.methods_node, "FKS203", MESSAGES["FKS203"].format(why=why))


# -- one pass over a view's own code ----------------------------------------------------------------
def _scan_view(
    file: FlaskFile, model: ViewMethodModel, function: nodes.FunctionDef
) -> tuple[list[tuple[nodes.NodeNG, str]], list[nodes.Compare]]:
    """Body reads and ``request.method`` comparisons in ``function`` itself (not in nested
    functions or classes, nor in its decorators and defaults), in source order."""
    index = file.index
    reads: list[tuple[nodes.NodeNG, str]] = []
    for attribute in index.directly_in("attributes", function):
        what = _BODY_ATTRIBUTES.get(attribute.attrname)  # type: ignore[attr-defined]
        if what is not None and attribute.statement() is not function:
            if file.names.refers_to(attribute.expr, _REQUEST):  # type: ignore[attr-defined]
                reads.append((attribute, what))
    for call in index.directly_in("calls", function):
        func = call.func  # ``is_validate_on_submit``, inline: every call of every view comes here
        if type(func) is nodes.Attribute and func.attrname == "validate_on_submit" and not call.args:
            if call.statement() is not function:
                reads.append((call, "validate_on_submit()"))
    comparisons = [
        compare
        for compare in index.directly_in("compares", function)
        if compare.statement() is not function and model.compared_methods(compare) is not None
    ]
    # At one position a call comes before the attribute it contains, as in a walk of the tree.
    reads.sort(key=lambda item: (source_position(item[0]), not isinstance(item[0], nodes.Call)))
    comparisons.sort(key=source_position)
    return reads, comparisons


# -- FKS201 -------------------------------------------------------------------------------------
def _body_read_for_get(
    model: ViewMethodModel, view: ViewMethods, reads: list[tuple[nodes.NodeNG, str]]
) -> Finding | None:
    for node, what in reads:
        reaching = model.methods_at(view, node)
        # An empty set is a dead branch: FKS202 reports the comparison that makes it dead.
        if reaching and not reaching & BODY_METHODS:
            if view.accepted is not None and view.accepted & BODY_METHODS:
                why = "a GET request carries no body, so this reads nothing"
            elif isinstance(node, nodes.Call):
                why = "validate_on_submit() is never true for GET, and a form posted here gets 405 Method Not Allowed"
            else:
                why = "the route accepts no POST, so Flask answers the form's POST with 405 Method Not Allowed"
            message = MESSAGES["FKS201"].format(what=what, methods=_names(reaching), why=why)
            return Finding.at(node, "FKS201", message)
    return None


# -- FKS202 -------------------------------------------------------------------------------------
def _dead_comparisons(
    model: ViewMethodModel, view: ViewMethods, comparisons: list[nodes.Compare]
) -> Iterator[Finding]:
    for compare in comparisons:
        compared = model.compared_methods(compare)
        if compared is None:
            continue
        op, names = compared
        if "OPTIONS" in {name.upper() for name in names}:
            continue  # Flask answers OPTIONS itself; a check for it is defensive, not a mistake
        reaching = model.methods_at(view, compare)
        if not reaching or names & reaching:
            continue
        test = f"{op} {_literal(names)}"
        lower = sorted(name for name in names if name not in HTTP_METHODS and name.upper() in HTTP_METHODS)
        if lower and len(lower) == len(names):
            why = "request.method is always upper-case"
        else:
            why = f"only {_names(reaching)} requests reach it"
        yield Finding.at(compare, "FKS202", MESSAGES["FKS202"].format(test=test, why=why))


# -- FKS204 -------------------------------------------------------------------------------------
def _get_changes_state(model: ViewMethodModel, view: ViewMethods, effects: list[Effect]) -> Finding | None:
    if _is_link_target(view):
        return None
    commits = any(effect.kind == "commit" for effect in effects)
    for effect in effects:
        if effect.kind not in DATABASE_KINDS or (effect.kind == "session" and not commits):
            continue
        if model.methods_at(view, effect.node):
            return Finding.at(effect.node, "FKS204", MESSAGES["FKS204"].format(what=effect.description))
    return None


def _is_link_target(view: ViewMethods) -> bool:
    """Views that a link from an e-mail or an OAuth provider opens: those must answer GET."""
    words = set(_WORD.findall(view.function.name.lower()))
    for route in view.routes:
        if route.rule:
            words.update(_WORD.findall(route.rule.lower()))
    return bool(words & _LINK_TARGET_WORDS)


# -- FKS601 -------------------------------------------------------------------------------------
def _post_redirect_get(
    file: FlaskFile, model: ViewMethodModel, view: ViewMethods, effects: list[Effect]
) -> Iterator[Finding]:
    if not effects:
        return
    for ret in file.index.returns_of(view.function):
        if not _renders_template(file, ret):
            continue
        if _on_failed_validation(model, view.function, ret):
            continue
        effect = _state_change_before(model, view, effects, ret)
        if effect is not None:
            yield Finding.at(ret, "FKS601", MESSAGES["FKS601"].format(what=effect.description))


def _renders_template(file: FlaskFile, ret: nodes.Return) -> bool:
    value = ret.value
    if isinstance(value, nodes.Tuple) and value.elts:
        value = value.elts[0]  # ``return render_template(...), 200``
    return isinstance(value, nodes.Call) and file.names.is_one_of(value.func, _RENDER)


def _on_failed_validation(model: ViewMethodModel, function: nodes.FunctionDef, node: nodes.NodeNG) -> bool:
    return any(
        not taken and _mentions_validation(condition)
        for condition, taken in model.conditions_at(function, node)
    )


def _mentions_validation(condition: nodes.NodeNG) -> bool:
    if is_validate_on_submit(condition):
        return True
    if isinstance(condition, nodes.BoolOp):
        return condition.op == "and" and any(_mentions_validation(v) for v in condition.values)
    return False


def _state_change_before(
    model: ViewMethodModel, view: ViewMethods, effects: list[Effect], ret: nodes.Return
) -> Effect | None:
    earlier = _earlier_siblings_of_ancestors(view.function, ret)
    for effect in effects:
        if source_position(effect.node) >= source_position(ret):
            break
        reaching = model.methods_at(view, effect.node)
        if not reaching or reaching - BODY_METHODS:
            continue  # a GET request can get here too: not the POST of a form
        if effect.kind == "flash" and not _after_successful_validation(model, view.function, ret):
            # flash() also reports errors ("Invalid password") that fall through to re-render
            # the form; it marks success only where the page itself is the validated branch's.
            continue
        if _falls_through_to(effect.node, earlier, view.function):
            return effect
    return None


def _after_successful_validation(model: ViewMethodModel, function: nodes.FunctionDef, node: nodes.NodeNG) -> bool:
    return any(taken and _mentions_validation(c) for c, taken in model.conditions_at(function, node))


def _earlier_siblings_of_ancestors(function: nodes.FunctionDef, node: nodes.NodeNG) -> set[int]:
    """Statements that run before ``node`` in the blocks that contain it."""
    found: set[int] = set()
    current = node.statement()
    while current is not None and current is not function:
        sibling = current.previous_sibling()
        while sibling is not None:
            found.add(id(sibling))
            sibling = sibling.previous_sibling()
        current = current.parent
        if isinstance(current, _NESTED) and current is not function:
            return set()
    return found


def _falls_through_to(node: nodes.NodeNG, earlier: set[int], function: nodes.FunctionDef) -> bool:
    """``node`` sits in an earlier statement, and no block between them always leaves the view."""
    current = node.statement()
    while current is not None and current is not function:
        if id(current) in earlier:
            return True
        block = _block_of(current)
        if block is not None and leaves(block):
            return False
        parent = current.parent
        if isinstance(parent, nodes.Try) and block is parent.body and leaves(parent.orelse):
            return False  # ``try: write / except: error = ... / else: return redirect(...)``
        current = parent
        if isinstance(current, _NESTED):
            return False
    return False


def _block_of(statement: nodes.NodeNG) -> list[nodes.NodeNG] | None:
    parent = statement.parent
    for name in ("body", "orelse", "handlers", "finalbody"):
        block = getattr(parent, name, None)
        if isinstance(block, list) and any(item is statement for item in block):
            return block
    return None


# -- helpers ------------------------------------------------------------------------------------
def _names(methods: MethodSet) -> str:
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    ordered = [m for m in order if m in methods] + sorted(m for m in methods if m not in order)
    return "/".join(ordered)


def _literal(names: frozenset[str]) -> str:
    if len(names) == 1:
        return repr(next(iter(names)))
    return "(" + ", ".join(repr(n) for n in sorted(names)) + ")"
