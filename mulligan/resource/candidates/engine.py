"""Finding candidates: which strategy, in which order, and when to stop.

Two strategies give the same answer at different costs:

* **scan** walks the ranking class's ``(class, free, provider)`` index in
  rank order, a bounded batch of index entries at a time, filters each
  entry with the request's conditions, and stops as soon as it has enough
  candidates. The common query touches a few dozen rows whatever the size
  of the fleet.
* **enumerate** starts from a small set of trees (``in_tree``, ``near``, or
  a rare class or trait), places the request in every one of them and
  sorts. It is chosen when a seed is known to be small, or when a scan
  has looked at many rows without finding enough.

Seed sizes come from capped counts kept for a short while in the process;
they only choose a strategy and never change a result, so several daemons
sharing a database stay correct.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan.db import Database
from mulligan.resource import models as m
from mulligan.resource.candidate_page import TreeRow
from mulligan.resource.candidates import flat, sql
from mulligan.resource.candidates.compile import Compiled, Group, Need, Refs, check_shape, compile_request
from mulligan.resource.candidates.flat import FlatFound
from mulligan.resource.candidates.search import Placement, TreeSearch, order_key
from mulligan.resource.candidates.trees import Context, Node, load_nodes, load_sharers, load_trees, uuids
from mulligan.resource.claims import Want
from mulligan.resource.refs import GROUP, PROVIDER, REGION, Resolver, chunks
from mulligan.resource.types import (
    Allocation,
    Candidate,
    CandidateRequest,
    ProviderSummary,
    ResourceUsage,
)
from mulligan.resource.windows import now_us

# A seed this small is enumerated at once.
SEED_SMALL = 200
# A seed no larger than the candidates asked for is enumerated at once.
ENUMERATE_WHEN_POOL_COVERS = True
# A seed up to this size is the fallback when a scan finds too little.
SEED_CAP = 2000
# Index entries a scan looks at before falling back to a small seed.
SCAN_BUDGET = 4096
MIN_SCAN_BATCH = 64
MAX_SCAN_BATCH = 1024
_BEYOND = 2**62
# Providers that fit only thanks to the window (reservations elsewhere in time).
MAYBE_CAP = 5000
TREE_BATCH = 200
STATEMENT_CACHE = 512
ESTIMATE_TTL_S = 30.0
RANDOM_POOL_FACTOR = 4
RANDOM_POOL_MIN = 20


class TreeFound:
    """A placement in one tree, as the search left it.

    An enumeration places a request in every tree of its seed and keeps
    the best ``limit``; the page's row (``item``), the candidate object and
    what a claim needs (``wants``) are made only for those asked for.
    """

    __slots__ = ("_context", "_item", "_nodes", "_placement", "order", "root_id")

    def __init__(self, context: Context, nodes: dict[int, Node], placement: Placement, root_id: int) -> None:
        self._context = context
        self._nodes = nodes
        self._placement = placement
        self._item: TreeRow | None = None
        self.order = placement.order
        self.root_id = root_id

    @property
    def item(self) -> TreeRow:
        if self._item is None:
            self._item = _tree_row(self._context, self._nodes, self._placement, self.root_id)
        return self._item

    @property
    def candidate(self) -> Candidate:
        return self.item.candidate()

    @property
    def wants(self) -> tuple[Want, ...]:
        totals: dict[tuple[int, str], int] = {}
        uuid_of: dict[int, str] = {}
        for group in self._context.compiled.groups:
            served = self._placement.choices[group.index].served_by
            for need in group.needs:
                target = served[need.resource_class]
                key = (target.id, need.resource_class)
                totals[key] = totals.get(key, 0) + need.amount
                uuid_of[target.id] = target.uuid
        return tuple(Want(pid, uuid_of[pid], cls, amount) for (pid, cls), amount in sorted(totals.items()))


@dataclass(frozen=True)
class MadeFound:
    """A candidate made at once: a flat one met outside a scan."""

    candidate: Candidate
    wants: tuple[Want, ...]
    order: tuple[int, int]
    root_id: int

    @property
    def item(self) -> Candidate:
        return self.candidate


Found = TreeFound | FlatFound | MadeFound


@dataclass(frozen=True)
class _Seed:
    count: int
    group: Group
    need: Need | None
    trait: str | None


class CandidateEngine:
    def __init__(self, database: Database, resolver: Resolver) -> None:
        self._db = database
        self._resolver = resolver
        self._counts: dict[tuple[str, str], tuple[int, float]] = {}
        self._counts_lock = threading.Lock()
        # Built statements by request shape: flavours repeat, and building a
        # statement costs more than running it. Statements hold no state.
        self._statements: OrderedDict[tuple[object, ...], sa.Select[tuple[object, ...]]] = OrderedDict()
        self._statements_lock = threading.Lock()

    def _statement(
        self, purpose: str, compiled: Compiled, build: Callable[[Compiled], sa.Select[tuple[object, ...]]]
    ) -> sa.Select[tuple[object, ...]]:
        key = (purpose, compiled.groups, compiled.ranking, compiled.region_ids, compiled.rank, compiled.from_now_on)
        with self._statements_lock:
            statement = self._statements.get(key)
            if statement is not None:
                self._statements.move_to_end(key)
                return statement
        statement = build(compiled)
        with self._statements_lock:
            self._statements[key] = statement
            while len(self._statements) > STATEMENT_CACHE:
                self._statements.popitem(last=False)
        return statement

    # --- entry point ----------------------------------------------------------

    def find(self, request: CandidateRequest, *, after: tuple[int, int] | None = None, extra: int = 0) -> list[Found]:
        """The best ``limit + extra`` candidates whose sort key comes after ``after``."""
        check_shape(request)
        refs = self._refs(request)
        with self._db.read() as session:
            compiled = compile_request(session, request, refs, now_us())
            context = Context(compiled)
            load_sharers(session, context)
            pool = compiled.limit + extra
            if compiled.ties == "random":
                pool = max(pool * RANDOM_POOL_FACTOR, RANDOM_POOL_MIN)
            found = self._search(session, context, pool, after)
        if after is not None:
            found = [item for item in found if item.order > after]
        return _finish(found, compiled, compiled.limit + extra)

    def _refs(self, request: CandidateRequest) -> Refs:
        resolve = self._resolver.to_uuid
        trees, near, member_of, not_member_of = {}, {}, {}, {}
        for index, group in enumerate(request.groups):
            if group.in_tree:
                trees[index] = resolve(PROVIDER, group.in_tree, "in_tree")
            if group.near is not None:
                near[index] = resolve(PROVIDER, group.near.provider, "near provider")
            if group.member_of:
                member_of[index] = tuple(resolve(GROUP, g, "member_of") for g in group.member_of)
            if group.not_member_of:
                not_member_of[index] = tuple(resolve(GROUP, g, "not_member_of") for g in group.not_member_of)
        region = resolve(REGION, request.region, "region") if request.region else None
        return Refs(region, trees, near, member_of, not_member_of)

    # --- strategy ---------------------------------------------------------------

    def _search(self, session: orm.Session, context: Context, pool: int, after: tuple[int, int] | None) -> list[Found]:
        compiled = context.compiled
        fixed = {g.tree_root for g in compiled.groups if g.tree_root is not None}
        if fixed:
            return self._enumerate(session, context, fixed if len(fixed) == 1 else set())
        if compiled.rank == "nearest":
            return self._enumerate(session, context, self._near_roots(session, compiled))
        if compiled.ranking_need is None:
            return self._enumerate(session, context, self._roots_of(session, compiled, compiled.ranking_group))
        seed = self._best_seed(session, compiled)
        rare = seed is not None and not (seed.group.index == compiled.ranking and seed.need == compiled.ranking_need)
        if seed is not None and (seed.count <= SEED_SMALL or (ENUMERATE_WHEN_POOL_COVERS and seed.count <= pool)):
            # Few enough to place them all (a scan would be as cheap), or so
            # few that the caller asks for nearly all of them anyway.
            return self._enumerate(session, context, self._seed_roots(session, compiled, seed))
        budget = SCAN_BUDGET if seed is not None and rare and seed.count <= SEED_CAP else None
        found = self._scan(session, context, pool, budget, after)
        if found is None:
            assert seed is not None
            return self._enumerate(session, context, self._seed_roots(session, compiled, seed))
        return found

    def _count(self, session: orm.Session, kind: str, code: str) -> int:
        now = time.monotonic()
        with self._counts_lock:
            cached = self._counts.get((kind, code))
        if cached is not None and cached[1] > now:
            return cached[0]
        if kind == "class":
            inner = sa.select(sa.literal(1)).where(m.inventories.c.resource_class == code)
        else:
            inner = sa.select(sa.literal(1)).where(m.provider_traits.c.trait == code)
        count = int(
            session.execute(sa.select(sa.func.count()).select_from(inner.limit(SEED_CAP + 1).subquery())).scalar_one()
        )
        with self._counts_lock:
            self._counts[(kind, code)] = (count, now + ESTIMATE_TTL_S)
        return count

    def _best_seed(self, session: orm.Session, compiled: Compiled) -> _Seed | None:
        best: _Seed | None = None
        for group in compiled.groups:
            for need in group.local_needs:
                count = self._count(session, "class", need.resource_class)
                if best is None or count < best.count:
                    best = _Seed(count, group, need, None)
            for trait in sorted(group.required):
                count = self._count(session, "trait", trait)
                if best is None or count < best.count:
                    best = _Seed(count, group, None, trait)
        return best

    # --- enumerate ------------------------------------------------------------

    def _seed_roots(self, session: orm.Session, compiled: Compiled, seed: _Seed) -> set[int]:
        purpose = f"seed {seed.group.index} {seed.need or seed.trait}"
        return _ids(session, self._statement(purpose, compiled, lambda c: _seed_statement(c, seed)))

    def _roots_of(self, session: orm.Session, compiled: Compiled, group: Group) -> set[int]:
        purpose = f"roots {group.index}"
        return _ids(session, self._statement(purpose, compiled, lambda c: _roots_statement(c, group)))

    def _near_roots(self, session: orm.Session, compiled: Compiled) -> set[int]:
        group = compiled.ranking_group
        assert group.near is not None
        near, max_distance = group.near
        d = m.distances.c
        ids = set(session.scalars(sa.select(d.other_id).where(d.provider_id == near, d.distance <= max_distance)))
        ids.add(near)
        roots: set[int] = set()
        for chunk in chunks(sorted(ids), 500):
            roots.update(session.scalars(sa.select(m.providers.c.root_id).where(m.providers.c.id.in_(chunk))))
        return roots

    def _enumerate(self, session: orm.Session, context: Context, roots: Iterable[int]) -> list[Found]:
        search = TreeSearch(context)
        found: list[Found] = []
        ordered = sorted(roots)
        for start in range(0, len(ordered), TREE_BATCH):
            trees = load_trees(session, ordered[start : start + TREE_BATCH], context)
            for root_id in sorted(trees):
                placement = search.place(trees[root_id])
                if placement is not None:
                    found.append(TreeFound(context, trees[root_id].nodes, placement, root_id))
        found.sort(key=lambda f: f.order)
        return found

    # --- scan -------------------------------------------------------------------

    def _scan(
        self, session: orm.Session, context: Context, pool: int, budget: int | None, start: tuple[int, int] | None
    ) -> list[Found] | None:
        """Candidates in rank order, or None when budget ran out first.

        Each round bounds a batch of the ranking class's index entries (a
        cheap boundary query), then asks only for the entries in it that
        pass every filter, no more than still needed.
        """
        compiled = context.compiled
        need = compiled.ranking_need
        assert need is not None
        seen_roots: set[int] = set()
        found = self._evaluate(session, context, self._maybe_rows(session, compiled), seen_roots, start)
        if compiled.flat:
            statement = self._statement("flat scan", compiled, flat.scan_statement)
        else:
            statement = self._statement("scan", compiled, self._scan_statement)
        desc = compiled.rank == "spread"
        boundary_statement = _BOUNDARY[desc]
        after = (_BEYOND, _BEYOND) if desc else (-1, -1)
        if start is not None:
            # A sure candidate's sort key is its index position (negated for spread).
            after = (-start[0], -start[1]) if desc else start
        sure: list[Found] = []
        batch = MIN_SCAN_BATCH
        examined = 0
        end = (-1, -1) if desc else (_BEYOND, _BEYOND)
        while len(sure) < pool:
            common = {"cls": need.resource_class, "amount": need.amount, "after_free": after[0], "after_id": after[1]}
            boundary = None
            if budget is not None:
                # Only a scan that may give up needs to know where a batch ends.
                boundary = session.execute(boundary_statement, {**common, "skip": batch - 1}).first()
            upto = (boundary.free, boundary.provider_id) if boundary is not None else end
            # Exact checks rarely reject a single provider; in trees they may.
            wanted = pool - len(sure) + 2 if compiled.flat else (pool - len(sure)) * 2
            rows = session.execute(
                statement, {**common, "upto_free": upto[0], "upto_id": upto[1], "wanted": wanted}
            ).all()
            sure += self._evaluate_scanned(session, context, rows, seen_roots, start)
            if len(rows) == wanted:
                # More may pass in this batch: continue right after the last one returned.
                after = (rows[-1].free, rows[-1].provider_id)
                continue
            if boundary is None:
                break
            after = upto
            examined += batch
            if budget is not None and examined >= budget and len(sure) < pool:
                return None
            batch = min(batch * 4, MAX_SCAN_BATCH)
        merged = sorted(found + sure, key=lambda f: f.order)
        if compiled.flat:
            return merged
        unique, roots = [], set()
        for item in merged:
            if item.root_id not in roots:
                roots.add(item.root_id)
                unique.append(item)
        return unique

    def _evaluate_scanned(
        self,
        session: orm.Session,
        context: Context,
        rows: Sequence[Any],
        seen_roots: set[int],
        start: tuple[int, int] | None,
    ) -> list[Found]:
        if context.compiled.flat:
            return list(flat.build(session, context.compiled, rows))
        pairs = [(row.provider_id, row.root_id) for row in rows]
        return self._evaluate(session, context, pairs, seen_roots, start)

    def _scan_statement(self, compiled: Compiled) -> sa.Select[tuple[object, ...]]:
        """Entries of the ranking class's index in (after, upto] that pass every filter, in rank order."""
        need = compiled.ranking_need
        assert need is not None
        desc = compiled.rank == "spread"
        aliases = sql.Aliases()
        i0 = aliases.take("inventories")
        position = sa.tuple_(i0.c.free, i0.c.provider_id)
        after = sa.tuple_(
            sa.bindparam("after_free", type_=sa.BigInteger), sa.bindparam("after_id", type_=sa.BigInteger)
        )
        upto = sa.tuple_(sa.bindparam("upto_free", type_=sa.BigInteger), sa.bindparam("upto_id", type_=sa.BigInteger))
        if sql.needs_provider_row(compiled):
            p = aliases.take("providers")
            columns = sql.ProviderColumns.of(p)
            source: sa.FromClause = i0.join(p, p.c.id == i0.c.provider_id)
            root: sa.ColumnElement[int] = p.c.root_id
        else:
            columns = sql.ProviderColumns(i0.c.provider_id)
            source, root = i0, i0.c.provider_id
        order = (i0.c.free.desc(), i0.c.provider_id.desc()) if desc else (i0.c.free, i0.c.provider_id)
        window = sa.and_(position < after, position >= upto) if desc else sa.and_(position > after, position <= upto)
        return (
            sa.select(i0.c.provider_id, i0.c.free, root.label("root_id"))
            .select_from(source)
            .where(
                i0.c.resource_class == sa.bindparam("cls", type_=sa.String),
                i0.c.free >= sa.bindparam("amount", type_=sa.BigInteger),
                window,
                sql.units_ok(i0, need.amount),
                *sql.request_filters(aliases, columns, compiled, compiled.ranking_group, skip=need),
            )
            .order_by(*order)
            .limit(sa.bindparam("wanted", type_=sa.Integer))
        )

    def _maybe_rows(self, session: orm.Session, compiled: Compiled) -> list[tuple[int, int]]:
        """Providers short of the ranking class now that may have room in the window."""
        need = compiled.ranking_need
        assert need is not None
        if compiled.from_now_on:
            # From now on, with no end: every window-less ``free`` already
            # counts exactly what such a claim would meet (see counters).
            return []
        windowed = session.execute(_ANY_WINDOWED, {"cls": need.resource_class, "amount": need.amount}).first()
        if windowed is None:
            return []
        query = self._statement("maybe", compiled, self._maybe_statement)
        return [(row.provider_id, row.root_id) for row in session.execute(query)]

    def _maybe_statement(self, compiled: Compiled) -> sa.Select[tuple[object, ...]]:
        need = compiled.ranking_need
        assert need is not None
        aliases = sql.Aliases()
        i0 = aliases.take("inventories")
        p = aliases.take("providers")
        return (
            sa.select(i0.c.provider_id, p.c.root_id)
            .select_from(i0.join(p, p.c.id == i0.c.provider_id))
            .where(
                i0.c.resource_class == need.resource_class,
                i0.c.windowed > 0,
                i0.c.free < need.amount,
                i0.c.capacity >= need.amount,
                sql.units_ok(i0, need.amount),
                *sql.request_filters(aliases, sql.ProviderColumns.of(p), compiled, compiled.ranking_group, skip=need),
            )
            .limit(MAYBE_CAP)
        )

    def _evaluate(
        self,
        session: orm.Session,
        context: Context,
        rows: list[tuple[int, int]],
        seen_roots: set[int],
        start: tuple[int, int] | None = None,
    ) -> list[Found]:
        """Exact checks of scanned providers, in the order given.

        After ``start`` (a later page), a tree whose best placement sorts
        at or before it was shown on an earlier page, whichever of its
        providers the scan meets now.
        """
        if not rows:
            return []
        compiled = context.compiled
        if compiled.flat:
            return self._evaluate_flat(session, context, [pid for pid, _ in rows])
        trees = load_trees(session, {root for _, root in rows if root not in seen_roots}, context)
        search = TreeSearch(context)
        found: list[Found] = []
        for pid, root in rows:
            if root in seen_roots or root not in trees:
                continue
            if start is not None:
                best = search.place(trees[root])
                if best is not None and best.order <= start:
                    seen_roots.add(root)
                    continue
            placement = search.place(trees[root], pinned=pid)
            if placement is not None:
                seen_roots.add(root)
                found.append(TreeFound(context, trees[root].nodes, placement, root))
        return found

    def _evaluate_flat(self, session: orm.Session, context: Context, provider_ids: list[int]) -> list[Found]:
        compiled = context.compiled
        group = compiled.groups[0]
        need = compiled.ranking_need
        assert need is not None
        nodes = load_nodes(session, provider_ids, context)
        roots = uuids(session, {n.root_id for n in nodes.values() if n.root_id not in nodes})
        roots.update({pid: node.uuid for pid, node in nodes.items()})
        found: list[Found] = []
        for pid in provider_ids:
            node = nodes.get(pid)
            if node is None or not _fits(node, group):
                continue
            value = node.inventories[need.resource_class].rank_value(need.amount)
            allocations = tuple(Allocation(node.uuid, n.resource_class, n.amount) for n in group.needs)
            wants = tuple(Want(pid, node.uuid, n.resource_class, n.amount) for n in group.needs)
            summary = _summary(node, roots[node.root_id], [n.resource_class for n in group.needs])
            found.append(
                MadeFound(
                    Candidate({group.label: allocations}, (summary,), value),
                    wants,
                    order_key(context, value, pid),
                    node.root_id,
                )
            )
        return found


def _ids(session: orm.Session, statement: sa.Select[tuple[object, ...]]) -> set[int]:
    """The ids a one-column statement returns, fetched in one go: iterating
    a result fetches its rows one at a time."""
    ids: Sequence[Any] = session.scalars(statement).all()
    return set(ids)


def _boundary_statement(desc: bool) -> sa.Select[tuple[int, int]]:
    """The index entry batch-many places after a position: where a scan batch ends."""
    i = m.inventories.c
    position = sa.tuple_(i.free, i.provider_id)
    after = sa.tuple_(sa.bindparam("after_free", type_=sa.BigInteger), sa.bindparam("after_id", type_=sa.BigInteger))
    order = (i.free.desc(), i.provider_id.desc()) if desc else (i.free, i.provider_id)
    return (
        sa.select(i.free, i.provider_id)
        .where(
            i.resource_class == sa.bindparam("cls", type_=sa.String),
            i.free >= sa.bindparam("amount", type_=sa.BigInteger),
            position < after if desc else position > after,
        )
        .order_by(*order)
        .limit(1)
        .offset(sa.bindparam("skip", type_=sa.Integer))
    )


_BOUNDARY = {False: _boundary_statement(False), True: _boundary_statement(True)}
_ANY_WINDOWED = (
    sa.select(m.inventories.c.provider_id)
    .where(
        m.inventories.c.resource_class == sa.bindparam("cls", type_=sa.String),
        m.inventories.c.windowed > 0,
        m.inventories.c.free < sa.bindparam("amount", type_=sa.BigInteger),
    )
    .limit(1)
)


def _fits(node: Node, group: Group) -> bool:
    for need in group.needs:
        inv = node.inventories.get(need.resource_class)
        if inv is None or not inv.units_ok(need.amount) or inv.available < need.amount:
            return False
    return True


def _summary(node: Node, root_uuid: str, classes: Iterable[str]) -> ProviderSummary:
    resources = tuple(
        ResourceUsage(cls, node.inventories[cls].capacity, node.inventories[cls].peak) for cls in sorted(set(classes))
    )
    return ProviderSummary(node.uuid, root_uuid, node.region_id, resources)


def _tree_row(context: Context, tree_nodes: dict[int, Node], placement: Placement, root_id: int) -> TreeRow:
    plan = []
    used: dict[int, tuple[Node, list[str]]] = {}
    choices = placement.choices
    for index, label, needs in context.compiled.plan_shape:
        served = choices[index].served_by
        allocations = []
        for cls, amount in needs:
            target = served[cls]
            allocations.append((target.uuid, cls, amount))
            entry = used.get(target.id)
            if entry is None:
                used[target.id] = (target, [cls])
            elif cls not in entry[1]:
                entry[1].append(cls)
        plan.append((label, tuple(allocations)))
    root_uuid = tree_nodes[root_id].uuid
    providers = []
    for pid in sorted(used):
        node, classes = used[pid]
        root = root_uuid if pid in tree_nodes else next(s.root_uuid for s in context.sharers if s.node.id == pid)
        inventories = node.inventories
        if len(classes) > 1:
            classes.sort()
        usage = tuple([(cls, inventories[cls].capacity, inventories[cls].peak) for cls in classes])
        providers.append((node.uuid, root, node.region_id, usage))
    return TreeRow(tuple(plan), tuple(providers), placement.rank_key)


def _seed_statement(compiled: Compiled, seed: _Seed) -> sa.Select[tuple[object, ...]]:
    """The roots of the trees holding a provider of the seed that may take the request."""
    aliases = sql.Aliases()
    p = aliases.take("providers")
    if seed.need is not None:
        s = aliases.take("inventories")
        start = sa.and_(
            s.c.resource_class == seed.need.resource_class, sql.may_fit(s, seed.need.amount, compiled.from_now_on)
        )
        skip: Need | None = seed.need
    else:
        s = aliases.take("traits")
        start = s.c.trait == seed.trait
        skip = None
    return (
        sa.select(p.c.root_id)
        .distinct()
        .select_from(s.join(p, p.c.id == s.c.provider_id))
        .where(start, *sql.request_filters(aliases, sql.ProviderColumns.of(p), compiled, seed.group, skip))
    )


def _roots_statement(compiled: Compiled, group: Group) -> sa.Select[tuple[object, ...]]:
    aliases = sql.Aliases()
    p = aliases.take("providers")
    columns = sql.ProviderColumns.of(p)
    return sa.select(p.c.root_id).distinct().where(*sql.request_filters(aliases, columns, compiled, group))


def _finish(found: list[Found], compiled: Compiled, count: int) -> list[Found]:
    """Apply the tie policy and the limit."""
    if compiled.ties == "random":
        shuffled: list[Found] = []
        rng = random.Random()  # noqa: S311 (spreading load, not security)
        run: list[Found] = []
        for item in found:
            if run and item.order[0] != run[0].order[0]:
                rng.shuffle(run)
                shuffled += run
                run = []
            run.append(item)
        rng.shuffle(run)
        found = shuffled + run
    return found[:count]
