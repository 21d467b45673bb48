"""What a ``cs:choose`` asks of a reference, answered once for each kind of reference.

A ``cs:choose`` renders its first branch (``cs:if``, ``cs:else-if``) whose condition holds, or its
``cs:else``. citeproc-py asks each branch to render and a branch that does not hold raises an exception
that the ``cs:choose`` catches: some hundred a reference, 40 to 60 ``cs:choose`` a reference, each
testing the reference's type and which variables it has (``type="book chapter"``,
``variable="DOI URL"``, ``match="any"``).

Those two tests depend only on the reference's *facts*: its type and the names of the variables it has
(and whether the cited item has a locator). Which branch of a ``cs:choose`` is the first to hold is kept
for each set of facts met, on the ``cs:choose``: a list of a thousand books asks each ``cs:choose`` a
handful of times. A branch with another test (``is-numeric``, ``is-uncertain-date``, ``locator``,
``position``), which depends on values or on the citation, is asked for each reference as citeproc-py
asks it, and so is every branch after it.
"""

from __future__ import annotations

from citeproc.model import ConditionFailed, If

__all__ = ["choose_render", "facts", "holds", "if_type", "if_variable"]

_TYPES = "_jaringan_types"
_VARIABLES = "_jaringan_variables"
_PLAN = "_jaringan_condition"
_BRANCHES = "_jaringan_branches"
_FIRST = "_jaringan_first_branch"
_FACTS = "_jaringan_facts"

#: A condition's attributes, besides ``type``, ``variable`` and ``position``, and the method of
#: citeproc-py's ``If`` that tests each.
_CONDITIONS = (("is-numeric", "_is_numeric"), ("is-uncertain-date", "_is_uncertain_date"),
               ("locator", "_locator"))
#: Facts met, each kept once, so that equal facts are one object (a dictionary finds it by identity).
_MET: dict = {}
_MET_LIMIT = 4096


def _kinds(branch) -> list:
    """A condition's list of types (``type="book chapter"``), lower-cased as citeproc-py compares them."""
    kinds = branch.__dict__.get(_TYPES)
    if kinds is None:
        kinds = branch.__dict__[_TYPES] = [kind.lower() for kind in branch.get("type").split()]
    return kinds


def _names(branch) -> list:
    """A condition's list of variables (``variable="DOI URL"``), in citeproc-py's spelling."""
    names = branch.__dict__.get(_VARIABLES)
    if names is None:
        names = branch.__dict__[_VARIABLES] = [name.replace("-", "_") for name in branch.get("variable").split()]
    return names


def if_type(self, item) -> list:
    """``cs:if type="book chapter …"``: whether the reference is of each type, as citeproc-py answers it,
    with the reference's type and the element's list of types each found once (not once a type)."""
    own = item.reference.type
    return [kind == own for kind in _kinds(self)]


def if_variable(self, item) -> list:
    """``cs:if variable="DOI URL"``: whether the reference has each variable, as citeproc-py answers it,
    with the element's list of variables found once."""
    reference = item.reference
    return [("locator" in item) if name == "locator" else (name in reference) for name in _names(self)]


def _plan(branch) -> tuple:
    """What a branch tests: its types, its variables, its other tests, whether it tests the position, and
    how the results combine (``match``)."""
    attrib = branch.attrib
    others = tuple(getattr(type(branch), method) for name, method in _CONDITIONS if name in attrib)
    return (_kinds(branch) if "type" in attrib else None, _names(branch) if "variable" in attrib else None,
            others, "position" in attrib, branch.get("match"))


def _branch_plan(branch) -> tuple:
    plan = branch.__dict__.get(_PLAN)
    if plan is None:
        plan = branch.__dict__[_PLAN] = _plan(branch)
    return plan


def holds(branch, item, context) -> bool:
    """Whether a ``cs:if`` or ``cs:else-if`` holds for the item: each of its tests answered as citeproc-py
    answers it (types and variables here, with their lists found once a branch; the others by citeproc-py's
    own methods), the answers combined by its ``match`` as citeproc-py's ``If`` combines them."""
    kinds, names, others, position, match = _branch_plan(branch)
    reference = item.reference
    results = []
    if kinds is not None:
        own = reference.type
        results = [kind == own for kind in kinds]
    if names is not None:
        results += [("locator" in item) if name == "locator" else (name in reference) for name in names]
    for test in others:
        results += test(branch, item)
    if position:
        results += branch._position(item, context)
    return _combined(results, match)


def _combined(results: list, match) -> bool:
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def facts(item) -> frozenset:
    """The reference's facts that a type or variable test reads: the names of its variables (as
    citeproc-py's ``in`` finds them), ``("type", its type)`` and ``("item", "locator")`` when the cited
    item has a locator. Found once an item."""
    found = item.__dict__.get(_FACTS)
    if found is None:
        reference = item.reference
        found = frozenset(reference) | {("type", reference.type)} | (
            {("item", "locator")} if "locator" in item else frozenset())
        if len(_MET) > _MET_LIMIT:
            _MET.clear()
        found = item.__dict__[_FACTS] = _MET.setdefault(found, found)
    return found


def _holds_by_facts(branch, known: frozenset) -> bool:
    """:func:`holds` for a branch that tests only types and variables, from the reference's facts."""
    kinds, names, _, _, match = _branch_plan(branch)
    results = [("type", kind) in known for kind in kinds] if kinds is not None else []
    if names is not None:
        results += [(("item", "locator") if name == "locator" else name) in known for name in names]
    return _combined(results, match)


def _branches(choose) -> tuple:
    """A ``cs:choose``'s branches, each with whether it is a ``cs:if`` or ``cs:else-if``, and how many of
    the first ones test only types and variables (and so can be answered from the facts)."""
    branches = choose.__dict__.get(_BRANCHES)
    if branches is None:
        branches = tuple((branch, isinstance(branch, If)) for branch in choose)
        answerable = 0
        for branch, condition in branches:
            if not condition:
                break
            _, _, others, position, _ = _branch_plan(branch)
            if others or position:
                break
            answerable += 1
        branches = choose.__dict__[_BRANCHES] = (branches, answerable)
    return branches


def _first(choose, branches: tuple, answerable: int, item) -> int:
    """The index of the first branch that holds among the ``answerable`` ones, or ``answerable`` when none
    does: kept on the ``cs:choose`` for each set of facts."""
    known = facts(item)
    firsts = choose.__dict__.get(_FIRST)
    if firsts is None:
        firsts = choose.__dict__[_FIRST] = {}
    first = firsts.get(known)
    if first is None:
        first = next((n for n in range(answerable) if _holds_by_facts(branches[n][0], known)), answerable)
        firsts[known] = first
    return first


def choose_render(self, item, context=None, delimiter="", **kwargs):
    """A ``cs:choose``: the children of its first branch that holds, as citeproc-py renders them; the
    branches that test only types and variables are answered from the reference's facts, the rest
    asked in turn (a ``cs:else`` renders; a branch of another kind that raises ``ConditionFailed`` is
    passed over, as citeproc-py does)."""
    branches, answerable = _branches(self)
    if answerable:
        first = _first(self, branches, answerable, item)
        if first < answerable:
            return branches[first][0].render_children(item, context=context, delimiter=delimiter, **kwargs)
        branches = branches[answerable:]
    for branch, condition in branches:
        if condition:
            if holds(branch, item, context):
                return branch.render_children(item, context=context, delimiter=delimiter, **kwargs)
            continue
        try:
            return branch.render(item, context=context, delimiter=delimiter, **kwargs)
        except ConditionFailed:
            continue
    return None
