"""Building blocks for a vendor's ``simulate`` hook: a simulator tries its steps in a seeded random order
until one makes a change, so a step that does not apply (no open application left, a vendor rule refuses)
never ends the run early, and the same seed on the same data makes the same changes."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterable
from typing import Any, TypeVar

from atsbridge.fakes.kit.spec import Change, Simulate

T = TypeVar("T")
Step = Callable[[Any, random.Random], Change | None]


def pick(rnd: random.Random, items: Iterable[T]) -> T | None:
    """A seeded choice among ``items`` in sorted order (None when empty), so dict order never matters."""
    pool = sorted(items, key=repr)
    return rnd.choice(pool) if pool else None


def simulator(*steps: Step, refused: tuple[type[BaseException], ...] = ()) -> Simulate:
    """One change per call: the first of ``steps`` (shuffled with ``rnd``) that makes one. A step raising one
    of ``refused`` (the vendor's own error, a rule) counts as not applicable."""

    def run(fake: Any, rnd: random.Random) -> Change | None:
        order = list(steps)
        rnd.shuffle(order)
        for step in order:
            try:
                change = step(fake, rnd)
            except refused:
                continue
            if change is not None:
                return change
        return None

    return run


def delete_one(rows: Callable[[Any], Collection[Any]], delete: Callable[[Any, Any], object], resource: str,
               among: Callable[[Any], Iterable[Any]] | None = None) -> Step:  # fmt: skip
    """A step deleting one row of ``rows(fake)`` picked at random (of ``among(fake)`` when given: not one this
    run created) with ``delete(fake, id)``, never the last one; the change names ``resource`` and the id as a
    string."""

    def step(fake: Any, rnd: random.Random) -> Change | None:
        table = rows(fake)
        rid = pick(rnd, table if among is None else among(fake))
        if rid is None or len(table) < 2:
            return None
        delete(fake, rid)
        return Change(resource, str(rid), "deleted")

    return step


#: The ids a step picks among, from the state: ``lambda f: f.candidates``, the open applications...
Rows = Callable[[Any], Iterable[Any]]
#: What a step does to the row it picked: ``act(fake, id, rnd)``; ``False`` when it cannot apply there (no other
#: stage to move to), anything else when it did.
Act = Callable[[Any, Any, random.Random], object]
#: What a step makes from the row it picked: ``make(fake, id, rnd)`` returns the new row's id (None: nothing made).
Make = Callable[[Any, Any, random.Random], object]


def update_one(rows: Rows, act: Act, resource: str, name: Callable[[Any, Any], str] | None = None) -> Step:
    """The usual edit/move/hire/reject step: ``act`` on one row of ``rows(fake)`` picked at random; the change
    names ``resource`` and the id as a string, or ``name(fake, id)`` where the vendor composes it."""

    def step(fake: Any, rnd: random.Random) -> Change | None:
        rid = pick(rnd, rows(fake))
        if rid is None or act(fake, rid, rnd) is False:
            return None
        return Change(resource, str(rid) if name is None else name(fake, rid), "updated")

    return step


def create_on(rows: Rows, make: Make, resource: str) -> Step:
    """The usual note/new-application step: ``make`` a row from one row of ``rows(fake)`` picked at random (a
    note on a candidate, an application to an open job); the change names ``resource`` and the new id."""

    def step(fake: Any, rnd: random.Random) -> Change | None:
        rid = pick(rnd, rows(fake))
        if rid is None:
            return None
        made = make(fake, rid, rnd)
        return None if made is None else Change(resource, str(made), "created")

    return step


def choose(rnd: random.Random, items: Iterable[T], then: Callable[[T], object]) -> bool:
    """``then`` one of ``items`` picked at random (a move to another stage); False when there is none, so an
    :data:`Act` can answer with it."""
    chosen = pick(rnd, items)
    if chosen is None:
        return False
    then(chosen)
    return True
