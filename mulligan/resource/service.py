"""The resource module's Python API: regions, providers, inventories,
traits, groups, claims and reservations, quotas, candidates.

Domain logic lives in the small modules next to this one; this class
resolves references (names go through the injected name registry, always
outside write transactions), opens transactions and returns domain types.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from mulligan import runtime, tenancy
from mulligan.db import Database
from mulligan.errors import AlreadyExists, InvalidArgument, MulliganError, NotFound
from mulligan.naming import NameRegistry, NameReservation, resolve_project
from mulligan.resource import catalog, claims, fleet, groups, inventory, providers, quotas, regions, usage
from mulligan.resource import models as m
from mulligan.resource.candidate_page import CandidatePage
from mulligan.resource.candidates import CandidateEngine, paging
from mulligan.resource.claim_best import claim_best
from mulligan.resource.refs import (
    GROUP,
    PROVIDER,
    REGION,
    Resolver,
    check_uuid,
    chunks,
    group_ref,
    new_uuid,
    provider_ref,
)
from mulligan.resource.types import (
    Allocation,
    Candidate,
    CandidateRequest,
    Claim,
    ClaimSpec,
    Distance,
    GroupPolicy,
    InventorySpec,
    LoadedFleet,
    Provider,
    ProviderGroup,
    ProviderSpec,
    Quota,
    Rank,
    Region,
    RequestGroup,
    ResourceClass,
    Ties,
    Trait,
    Usage,
    Window,
)
from mulligan.resource.windows import Span, now_us, resolve, to_us
from mulligan.resource.writer import Writer
from mulligan.text import checks_text

log = logging.getLogger("mulligan.resource")

DEFAULT_EXPIRY_INTERVAL_S = 5.0
_EXPIRY_BATCH = 500
MAX_PAGE = 1000
# Page tokens carry row ids, which are 64-bit signed integers in every database.
_MAX_ROW_ID = 2**63 - 1
_MAX_ROW_ID_DIGITS = len(str(_MAX_ROW_ID))


@checks_text
class ResourceService:
    def __init__(
        self,
        database: Database,
        names: NameRegistry | None = None,
        *,
        expiry_interval_s: float = DEFAULT_EXPIRY_INTERVAL_S,
    ) -> None:
        self._db = database
        self._writer = Writer(database)
        self._resolver = Resolver(names)
        self._engine = CandidateEngine(database, self._resolver)
        self._expiry_interval_s = expiry_interval_s
        self._stop = threading.Event()
        self._expiry_thread: threading.Thread | None = None

    # --- runtime -----------------------------------------------------------

    def configure(self, *, log_level: str | None = None) -> str:
        """Change runtime settings; return the log level in force."""
        return runtime.log_level("resource", log_level)

    def start(self) -> None:
        """Release claims whose window ended, every expiry interval, until stop()."""
        if self._expiry_thread is not None:
            return
        self._stop.clear()
        self._expiry_thread = threading.Thread(target=self._expiry_loop, name="resource-expiry", daemon=True)
        self._expiry_thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._expiry_thread is not None:
            self._expiry_thread.join(timeout_s)
            self._expiry_thread = None

    def _expiry_loop(self) -> None:
        while not self._stop.wait(self._expiry_interval_s):
            try:
                self.expire_claims()
            except Exception:
                # The next round retries; a transient database error must not end the loop.
                log.exception("releasing ended claims failed")

    # --- names -------------------------------------------------------------

    @property
    def _names(self) -> NameRegistry | None:
        return self._resolver.names

    def _describe(self, kind: str, object_ids: Iterable[str]) -> dict[str, str]:
        ids = list(object_ids)
        if self._names is None or not ids:
            return {}
        return {object_id: named.name for object_id, named in self._names.describe(kind, ids).items()}

    def _forget(self, kind: str, object_id: str) -> None:
        if self._names is not None:
            self._names.forget(kind, object_id)

    def _region_uuid(self, ref: str) -> str:
        return self._resolver.to_uuid(REGION, ref, "region")

    def _provider_uuid(self, ref: str) -> str:
        return self._resolver.to_uuid(PROVIDER, ref, "provider")

    def _group_uuid(self, ref: str) -> str:
        return self._resolver.to_uuid(GROUP, ref, "provider group")

    def _project_uuid(self, ref: str) -> str:
        names = self._resolver.require_names("project")
        return tenancy.project_argument(ref, lambda typed: resolve_project(names, typed))

    def _optional_project(self, ref: str | None) -> str | None:
        return self._project_uuid(ref) if ref else None

    # --- regions -----------------------------------------------------------

    def create_region(
        self,
        name: str,
        *,
        parent: str | None = None,
        attributes: Mapping[str, str] | None = None,
        visibility: str = "internal",
    ) -> Region:
        names = self._resolver.require_names(REGION)
        checked_attributes = regions.check_attributes(attributes or {})
        checked_visibility = regions.check_visibility(visibility or "internal")
        parent_id = self._region_uuid(parent) if parent else None
        with names.reserve(REGION, None, name) as reservation:
            with self._writer.transaction() as session:
                row = regions.insert(
                    session,
                    reservation.object_id,
                    parent_id=parent_id,
                    attributes=checked_attributes,
                    visibility=checked_visibility,
                    now=now_us(),
                )
                region = regions.to_domain(row, reservation.name)
            reservation.confirm()
        return region

    def get_region(self, ref: str) -> Region:
        region_id = self._region_uuid(ref)
        with self._db.read() as session:
            region = regions.to_domain(regions.get_row(session, region_id), "")
        return self._named_region(region)

    def list_regions(self, *, parent: str | None = None) -> list[Region]:
        parent_id = self._region_uuid(parent) if parent else None
        with self._db.read() as session:
            found = [regions.to_domain(row, "") for row in regions.list_rows(session, parent_id)]
        names = self._describe(REGION, [region.id for region in found])
        return [dataclasses.replace(region, name=names.get(region.id, "")) for region in found]

    def visible_regions(self, region_ids: Sequence[str]) -> set[str]:
        """Which of these regions the caller may see, as get_region decides."""
        with self._db.read() as session:
            rows = session.scalars(sa.select(m.RegionRow).where(m.RegionRow.id.in_(list(region_ids))))
            return {row.id for row in rows if regions.visible(row)}

    def _named_region(self, region: Region) -> Region:
        return dataclasses.replace(region, name=self._describe(REGION, [region.id]).get(region.id, ""))

    def update_region(
        self,
        ref: str,
        *,
        attributes: Mapping[str, str] | None = None,
        visibility: str | None = None,
        parent: str | None = None,
        clear_parent: bool = False,
    ) -> Region:
        region_id = self._region_uuid(ref)
        parent_id = self._region_uuid(parent) if parent else None
        checked_attributes = regions.check_attributes(attributes) if attributes is not None else None
        checked_visibility = regions.check_visibility(visibility) if visibility else None
        with self._writer.transaction() as session:
            row = regions.update(
                session,
                regions.get_row(session, region_id),
                attributes=checked_attributes,
                visibility=checked_visibility,
                parent_id=parent_id,
                clear_parent=clear_parent,
            )
            region = regions.to_domain(row, "")
        return self._named_region(region)

    def delete_region(self, ref: str) -> None:
        region_id = self._region_uuid(ref)
        with self._writer.transaction() as session:
            regions.delete(session, regions.get_row(session, region_id))
        self._forget(REGION, region_id)

    # --- resource classes and traits ----------------------------------------

    def create_resource_class(self, code: str) -> ResourceClass:
        with self._writer.transaction() as session:
            return catalog.create_class(session, code, now_us())

    def list_resource_classes(self) -> list[ResourceClass]:
        with self._db.read() as session:
            return catalog.list_classes(session)

    def delete_resource_class(self, code: str) -> None:
        with self._writer.transaction() as session:
            catalog.delete_class(session, code)

    def create_trait(self, code: str) -> Trait:
        with self._writer.transaction() as session:
            return catalog.create_trait(session, code, now_us())

    def list_traits(self, *, prefix: str = "") -> list[Trait]:
        with self._db.read() as session:
            return catalog.list_traits(session, prefix)

    def delete_trait(self, code: str) -> None:
        with self._writer.transaction() as session:
            catalog.delete_trait(session, code)

    # --- providers -----------------------------------------------------------

    def create_provider(
        self,
        region: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        parent: str | None = None,
        inventories: Sequence[InventorySpec] = (),
        traits: Sequence[str] = (),
        groups: Sequence[str] = (),
    ) -> Provider:
        spec = ProviderSpec(
            region=region,
            name=name,
            id=id,
            parent=parent,
            inventories=tuple(inventories),
            traits=tuple(traits),
            groups=tuple(groups),
        )
        (created,) = self.create_providers([spec])
        return self.get_provider(created)

    def create_providers(self, specs: Sequence[ProviderSpec]) -> list[str]:
        """Create many providers in one transaction; return their UUIDs in order.

        Parents must come before their children. Providers without a name
        cost no call to the name registry, which keeps bulk loads fast.
        """
        refs = _Refs()
        news = [self._new_provider(spec, refs, {}) for spec in specs]
        with self._creating_providers(specs, news, index_errors=False):
            pass
        return [new.uuid for new in news]

    def _new_provider(self, spec: ProviderSpec, refs: _Refs, batch: Mapping[str, str]) -> providers.NewProvider:
        """The provider to insert; batch maps the ids and names of providers
        listed before it in the same call to their UUIDs."""
        region_id = refs.get(REGION, spec.region, self._region_uuid) if spec.region else None
        parent_uuid = None
        if spec.parent:
            parent_uuid = batch.get(spec.parent) or refs.get(PROVIDER, spec.parent, self._provider_uuid)
        return providers.NewProvider(
            uuid=check_uuid(spec.id, "provider id") if spec.id else new_uuid(),
            named=bool(spec.name),
            region_id=region_id,
            parent_uuid=parent_uuid,
            inventories=inventory.validate_all(spec.inventories),
            traits=sorted(set(spec.traits)),
            group_uuids=sorted({refs.get(GROUP, g, self._group_uuid) for g in spec.groups}),
        )

    @contextlib.contextmanager
    def _creating_providers(
        self, specs: Sequence[ProviderSpec], news: Sequence[providers.NewProvider], *, index_errors: bool
    ) -> Iterator[tuple[orm.Session, dict[str, int]]]:
        """Reserve the names, open the write transaction and insert the
        providers; the caller may add to the transaction before it commits.
        With index_errors, errors about one provider name its index."""
        classes = {inv.resource_class for new in news for inv in new.inventories}
        traits = {trait for new in news for trait in new.traits}
        with contextlib.ExitStack() as stack:
            reservations: list[NameReservation] = []
            for index, (spec, new) in enumerate(zip(specs, news, strict=True)):
                if spec.name:
                    names = self._resolver.require_names(PROVIDER)
                    with fleet.item("provider", index) if index_errors else contextlib.nullcontext():
                        reservations.append(
                            stack.enter_context(names.reserve(PROVIDER, None, spec.name, object_id=new.uuid))
                        )
            with self._writer.transaction() as session:
                ids: dict[str, int] = {}
                if news and index_errors:
                    fleet.check_new_providers(session, news)
                elif news:
                    catalog.check_classes(session, classes)
                    catalog.check_traits(session, traits)
                if news:
                    ids = providers.create_many(session, news, now_us())
                yield session, ids
            for reservation in reservations:
                reservation.confirm()

    def get_provider(self, ref: str) -> Provider:
        provider_uuid = self._provider_uuid(ref)
        with self._db.read() as session:
            row = providers.get_row(session, provider_uuid)
            return self._load_providers(session, [row])[0]

    def _load_providers(self, session: orm.Session, rows: Sequence[m.ProviderRow]) -> list[Provider]:
        names = self._describe(PROVIDER, [row.uuid for row in rows if row.named])
        return providers.load(session, rows, names)

    def list_providers(
        self,
        *,
        region: str | None = None,
        tree: str | None = None,
        parent: str | None = None,
        roots_only: bool = False,
        trait: str | None = None,
        group: str | None = None,
        resource_class: str | None = None,
        limit: int = 100,
        page_token: str = "",
    ) -> tuple[list[Provider], str]:
        """A page of providers (oldest first) and the token of the next page ('' at the end)."""
        limit = _page_size(limit)
        after = _page_after(page_token)
        region_id = self._region_uuid(region) if region else None
        tree_uuid = self._provider_uuid(tree) if tree else None
        parent_uuid = self._provider_uuid(parent) if parent else None
        group_uuid = self._group_uuid(group) if group else None
        with self._db.read() as session:
            region_ids = regions.visible_ids(session)
            if region_id is not None:
                regions.get_row(session, region_id)
                below = frozenset(regions.subtree(session, region_id))
                region_ids = below if region_ids is None else below & region_ids
            root_id = None
            if tree_uuid is not None:
                root_id = providers.get_row(session, tree_uuid).root_id
            where = providers.ProviderFilter(
                region_ids=region_ids,
                root_id=root_id,
                parent_id=provider_ref(session, parent_uuid).id if parent_uuid else None,
                roots_only=roots_only,
                trait=trait,
                group_id=group_ref(session, group_uuid).id if group_uuid else None,
                resource_class=resource_class,
            )
            rows = providers.list_rows(session, where, limit + 1, after)
            page = self._load_providers(session, rows[:limit])
        return page, (str(rows[limit - 1].id) if len(rows) > limit else "")

    def update_provider(
        self,
        ref: str,
        *,
        parent: str | None = None,
        make_root: bool = False,
        region: str | None = None,
        generation: int | None = None,
    ) -> Provider:
        """Re-parent (no cycles) or move a tree to another region."""
        provider_uuid = self._provider_uuid(ref)
        parent_uuid = self._provider_uuid(parent) if parent else None
        region_id = self._region_uuid(region) if region else None
        if parent_uuid and make_root:
            raise InvalidArgument("give a parent or make_root, not both", reason="CONFLICTING_ARGUMENTS")
        with self._writer.transaction() as session:
            row = providers.get_row(session, provider_uuid)
            assert row.root_id is not None
            # Every row of the tree may change: lock them all, in id order like claims do.
            self._writer.lock_providers(session, providers.tree_of(session, row.root_id))
            session.refresh(row)
            providers.check_generation(row.generation, generation, provider_uuid)
            now = now_us()
            if parent_uuid or make_root:
                new_parent = providers.get_row(session, parent_uuid) if parent_uuid else None
                providers.reparent(session, row, new_parent, now)
                session.refresh(row)
            if region_id:
                providers.move_region(session, row, region_id, now)
        return self.get_provider(provider_uuid)

    def delete_provider(self, ref: str, *, generation: int | None = None) -> None:
        provider_uuid = self._provider_uuid(ref)
        with self._writer.transaction() as session:
            row = providers.get_row(session, provider_uuid)
            self._writer.lock_providers(session, [row.id])
            session.refresh(row)
            providers.check_generation(row.generation, generation, provider_uuid)
            named = row.named
            providers.delete(session, row)
        if named:
            self._forget(PROVIDER, provider_uuid)

    @contextlib.contextmanager
    def _changing(self, provider_uuid: str, generation: int | None) -> Iterator[tuple[orm.Session, m.ProviderRow]]:
        """A write transaction holding the provider's lock; bumps its generation."""
        with self._writer.transaction() as session:
            row = providers.get_row(session, provider_uuid)
            self._writer.lock_providers(session, [row.id])
            session.refresh(row)
            providers.check_generation(row.generation, generation, provider_uuid)
            yield session, row
            providers.bump(session, [row.id], now_us())

    def set_inventory(
        self,
        provider: str,
        inventories: Sequence[InventorySpec],
        *,
        replace: bool = False,
        generation: int | None = None,
    ) -> Provider:
        """Add or change inventories (replace=True also drops unlisted classes).

        Capacity never drops below what claims already use from now on.
        """
        provider_uuid = self._provider_uuid(provider)
        valid = inventory.validate_all(inventories)
        with self._changing(provider_uuid, generation) as (session, row):
            catalog.check_classes(session, {inv.resource_class for inv in valid})
            inventory.apply(session, row.id, valid, replace=replace, now=now_us())
        return self.get_provider(provider_uuid)

    def delete_inventory(self, provider: str, resource_class: str, *, generation: int | None = None) -> Provider:
        provider_uuid = self._provider_uuid(provider)
        with self._changing(provider_uuid, generation) as (session, row):
            if session.get(m.InventoryRow, (row.id, resource_class)) is None:
                raise NotFound(
                    f"provider {provider_uuid} has no {resource_class[:64]} inventory", reason="INVENTORY_NOT_FOUND"
                )
            inventory.delete(session, row.id, resource_class)
        return self.get_provider(provider_uuid)

    def set_traits(self, provider: str, traits: Iterable[str], *, generation: int | None = None) -> Provider:
        """Replace the provider's traits."""
        provider_uuid = self._provider_uuid(provider)
        wanted = set(traits)
        with self._changing(provider_uuid, generation) as (session, row):
            catalog.check_traits(session, wanted)
            providers.set_traits(session, row.id, wanted)
        return self.get_provider(provider_uuid)

    def add_traits(self, provider: str, traits: Iterable[str]) -> Provider:
        current = self.get_provider(provider)
        return self.set_traits(current.id, current.traits | set(traits), generation=current.generation)

    def remove_traits(self, provider: str, traits: Iterable[str]) -> Provider:
        current = self.get_provider(provider)
        return self.set_traits(current.id, current.traits - set(traits), generation=current.generation)

    # --- groups, sharing, distances ------------------------------------------

    def create_group(self, name: str | None = None, *, id: str | None = None) -> ProviderGroup:
        group_uuid = check_uuid(id, "group id") if id else new_uuid()
        with contextlib.ExitStack() as stack:
            reservation = None
            if name:
                names = self._resolver.require_names(GROUP)
                reservation = stack.enter_context(names.reserve(GROUP, None, name, object_id=group_uuid))
            with self._writer.transaction() as session:
                if session.execute(sa.select(m.groups.c.id).where(m.groups.c.uuid == group_uuid)).first():
                    raise AlreadyExists(f"provider group {group_uuid} already exists", reason="GROUP_EXISTS")
                groups.insert_group(session, group_uuid, bool(name), now_us())
            if reservation is not None:
                reservation.confirm()
        return ProviderGroup(group_uuid, reservation.name if reservation else None, 0, 0)

    def get_group(self, ref: str) -> ProviderGroup:
        group_uuid = self._group_uuid(ref)
        with self._db.read() as session:
            ref_row = group_ref(session, group_uuid)
            return groups.describe(session, {group_uuid: ref_row.id}, self._describe(GROUP, [group_uuid]))[0]

    def list_groups(self) -> list[ProviderGroup]:
        with self._db.read() as session:
            found = groups.all_groups(session)
            return groups.describe(session, found, self._describe(GROUP, list(found)))

    def delete_group(self, ref: str) -> None:
        group_uuid = self._group_uuid(ref)
        with self._writer.transaction() as session:
            group_id = group_ref(session, group_uuid).id
            affected = groups.affected_by_group(session, group_id)
            self._writer.lock_providers(session, affected)
            groups.delete_group(session, group_id)
            providers.bump(session, affected, now_us())
        self._forget(GROUP, group_uuid)

    def group_members(self, ref: str) -> list[str]:
        group_uuid = self._group_uuid(ref)
        with self._db.read() as session:
            found = groups.members(session, group_ref(session, group_uuid).id)
            shown = self._visible_providers(session, found)
        return [member for member in found if member in shown]

    def visible_providers(self, provider_ids: Sequence[str]) -> set[str]:
        """Which of these providers the caller may see, as get_provider decides."""
        with self._db.read() as session:
            return self._visible_providers(session, provider_ids)

    @staticmethod
    def _visible_providers(session: orm.Session, provider_ids: Sequence[str]) -> set[str]:
        visible = regions.visible_ids(session)
        if visible is None:
            return set(provider_ids)
        p = m.providers.c
        shown: set[str] = set()
        for chunk in chunks(sorted(set(provider_ids)), 500):
            rows = session.execute(sa.select(p.uuid, p.region_id).where(p.uuid.in_(chunk)))
            shown.update(row.uuid for row in rows if row.region_id in visible)
        return shown

    def add_group_members(self, group: str, provider_refs: Iterable[str]) -> ProviderGroup:
        return self._change_group(group, provider_refs, m.group_members, add=True)

    def remove_group_members(self, group: str, provider_refs: Iterable[str]) -> ProviderGroup:
        return self._change_group(group, provider_refs, m.group_members, add=False)

    def share(self, provider: str, group: str) -> Provider:
        """Let the members of group (and their trees) use provider's inventory."""
        self._change_group(group, [provider], m.sharing, add=True)
        return self.get_provider(provider)

    def unshare(self, provider: str, group: str) -> Provider:
        self._change_group(group, [provider], m.sharing, add=False)
        return self.get_provider(provider)

    def _change_group(self, group: str, provider_refs: Iterable[str], table: sa.Table, *, add: bool) -> ProviderGroup:
        group_uuid = self._group_uuid(group)
        wanted = {self._provider_uuid(ref) for ref in provider_refs}
        from mulligan.resource.refs import provider_refs as resolve_providers

        with self._writer.transaction() as session:
            group_id = group_ref(session, group_uuid).id
            ids = resolve_providers(session, wanted) if wanted else {}
            self._writer.lock_providers(session, ids.values())
            change = groups.add if add else groups.remove
            changed = change(session, table, group_id, ids.values())
            providers.bump(session, changed, now_us())
        return self.get_group(group_uuid)

    def set_distance(self, provider: str, other: str, distance: int) -> Distance:
        a_uuid, b_uuid = self._provider_uuid(provider), self._provider_uuid(other)
        checked = groups.check_distance(distance)
        with self._writer.transaction() as session:
            a_ref, b_ref = provider_ref(session, a_uuid), provider_ref(session, b_uuid)
            groups.set_distance(session, a_ref.id, b_ref.id, checked)
        return Distance(a_uuid, b_uuid, checked)

    def delete_distance(self, provider: str, other: str) -> None:
        a_uuid, b_uuid = self._provider_uuid(provider), self._provider_uuid(other)
        with self._writer.transaction() as session:
            a_ref, b_ref = provider_ref(session, a_uuid), provider_ref(session, b_uuid)
            if not groups.delete_distance(session, a_ref.id, b_ref.id):
                raise NotFound(f"no distance between {a_uuid} and {b_uuid}", reason="DISTANCE_NOT_FOUND")

    def list_distances(self, provider: str, *, max_distance: int | None = None) -> list[Distance]:
        provider_uuid = self._provider_uuid(provider)
        with self._db.read() as session:
            ref = provider_ref(session, provider_uuid)
            found = groups.distances_of(session, ref.id, provider_uuid, max_distance)
            shown = self._visible_providers(session, [d.other_id for d in found])
        return [d for d in found if d.other_id in shown]

    # --- claims -------------------------------------------------------------

    def _wants(self, session: orm.Session, allocations: Sequence[Allocation]) -> list[claims.Want]:
        from mulligan.resource.refs import provider_refs as resolve_providers

        catalog.check_classes(session, {al.resource_class for al in allocations})
        ids = resolve_providers(session, {al.provider_id for al in allocations})
        return [claims.Want(ids[al.provider_id], al.provider_id, al.resource_class, al.amount) for al in allocations]

    def _normalise(self, allocations: Sequence[Allocation]) -> list[Allocation]:
        resolved = [Allocation(self._provider_uuid(al.provider_id), al.resource_class, al.amount) for al in allocations]
        claims.check_amounts((al.provider_id, al.resource_class, al.amount) for al in resolved)
        return resolved

    def claim(
        self,
        consumer_id: str,
        allocations: Sequence[Allocation],
        *,
        project_id: str | None = None,
        window: Window | None = None,
        kind: str = "machine",
        owner: str | None = None,
    ) -> Claim:
        """All of allocations for consumer over window, or nothing.

        A window that starts later makes a reservation. Raises
        ResourceExhausted when capacity or the project's quota is short.
        A claim with an ``owner`` (the module managing it) is changed and
        released only by calls that name the same owner.
        """
        consumer_uuid = check_uuid(consumer_id, "consumer_id")
        project = tenancy.owning_project(self._optional_project(project_id))
        checked_kind = claims.check_kind(kind)
        resolved = self._normalise(allocations)
        now = now_us()
        span = resolve(window or Window(), now)
        try:
            with self._writer.transaction() as session:
                return claims.create(
                    session,
                    self._writer,
                    consumer_uuid=consumer_uuid,
                    project_id=project,
                    kind=checked_kind,
                    wants=self._wants(session, resolved),
                    span=span,
                    now=now,
                    owner=owner,
                )
        except sa.exc.IntegrityError:
            # The consumer already holds a claim in this project (maybe a
            # racing first one): the database kept one.
            raise AlreadyExists(f"consumer {consumer_uuid} already holds a claim", reason="CLAIM_EXISTS") from None

    def replace_claim(
        self,
        consumer_id: str,
        allocations: Sequence[Allocation],
        *,
        generation: int | None = None,
        window: Window | None = None,
        owner: str | None = None,
        project_id: str | None = None,
    ) -> Claim:
        """Swap the consumer's allocations (and window) atomically."""
        key = self._claim_key(consumer_id, project_id, owner)
        resolved = self._normalise(allocations)
        now = now_us()
        with self._writer.transaction() as session:
            return claims.replace(
                session,
                self._writer,
                key=key,
                generation=generation,
                wants=self._wants(session, resolved),
                window=window,
                now=now,
            )

    def update_claim_window(
        self,
        consumer_id: str,
        window: Window,
        *,
        generation: int | None = None,
        owner: str | None = None,
        project_id: str | None = None,
    ) -> Claim:
        """Extend or shorten a claim; the new window is checked like a new claim.

        A window without start keeps the current start.
        """
        key = self._claim_key(consumer_id, project_id, owner)
        now = now_us()
        with self._writer.transaction() as session:
            return claims.replace(
                session, self._writer, key=key, generation=generation, wants=None, window=window, now=now
            )

    def release(self, consumer_id: str, *, owner: str | None = None, project_id: str | None = None) -> None:
        """Give back everything the consumer holds."""
        key = self._claim_key(consumer_id, project_id, owner)
        with self._writer.transaction() as session:
            claims.release(session, self._writer, key)

    def get_claim(self, consumer_id: str, *, project_id: str | None = None) -> Claim:
        """The consumer's claim; its project is needed only where it holds claims in several."""
        key = self._claim_key(consumer_id, project_id, None)
        with self._db.read() as session:
            return claims.get(session, key)

    def _claim_key(self, consumer_id: str, project_id: str | None, owner: str | None) -> claims.Key:
        return claims.Key(check_uuid(consumer_id, "consumer_id"), self._optional_project(project_id), owner)

    def list_claims(
        self,
        *,
        consumer: str | None = None,
        provider: str | None = None,
        project: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
        page_token: str = "",
    ) -> tuple[list[Claim], str]:
        """Claims by consumer, provider, project and/or overlapping [start, end)."""
        limit = _page_size(limit)
        after = _page_after(page_token)
        consumer_uuid = check_uuid(consumer, "consumer") if consumer else None
        provider_uuid = self._provider_uuid(provider) if provider else None
        visible = tenancy.visible_projects()
        projects = visible
        if project:
            project = self._project_uuid(project)
            projects = frozenset({project}) if visible is None or project in visible else frozenset()
        span = None
        if start is not None or end is not None:
            span = Span(to_us(start) if start else 0, to_us(end) if end else None)
            if span.end is not None and span.end <= span.start:
                raise InvalidArgument("the time range must end after it starts", reason="INVALID_WINDOW")
        with self._db.read() as session:
            provider_id = provider_ref(session, provider_uuid).id if provider_uuid else None
            where = claims.ClaimFilter(consumer_uuid, provider_id, projects, span)
            rows = claims.list_rows(session, where, limit + 1, after)
            page = claims.to_domain(session, rows[:limit])
        return page, (str(rows[limit - 1].id) if len(rows) > limit else "")

    def provider_usage(self, provider: str, *, at: datetime | None = None) -> list[Usage]:
        provider_uuid = self._provider_uuid(provider)
        moment = to_us(at) if at else now_us()
        with self._db.read() as session:
            found = usage.provider_usage(session, provider_ref(session, provider_uuid).id, moment)
        return [Usage(cls, used, capacity) for cls, (used, capacity) in found.items()]

    def project_usage(self, project_id: str, *, at: datetime | None = None) -> list[Usage]:
        project_id = self._project_uuid(project_id)
        tenancy.check_visible(project_id, "project", project_id)
        moment = to_us(at) if at else now_us()
        with self._db.read() as session:
            found = usage.project_usage(session, project_id, moment)
            limits = {q.resource_class: q.limit for q in quotas.list_quotas(session, project_id)}
        return [Usage(cls, used, limits.get(cls)) for cls, used in found.items()]

    def expire_claims(self, now: datetime | None = None) -> int:
        """Release claims whose window ended by now; return how many."""
        moment = to_us(now) if now else now_us()
        released = 0
        while True:
            with self._writer.transaction() as session:
                count = claims.expire(session, self._writer, moment, _EXPIRY_BATCH)
            released += count
            if count < _EXPIRY_BATCH:
                break
        while True:
            with self._writer.transaction() as session:
                settled = claims.settle_started(session, self._writer, moment, _EXPIRY_BATCH)
            if settled < _EXPIRY_BATCH:
                break
        if released:
            log.info("released ended claims", extra={"count": released})
        return released

    # --- bulk loading -------------------------------------------------------

    def load_fleet(self, specs: Sequence[ProviderSpec], claim_specs: Sequence[ClaimSpec]) -> LoadedFleet:
        """Create providers and their existing claims in one transaction.

        Each item is checked as the single call would check it; a parent or
        a claimed provider may be one listed earlier in the same call (by id
        or name). Claims are checked in order, each against the stored ones
        and those before it. All is stored, or nothing; errors name the
        item's index.
        """
        fleet.check_sizes(len(specs), len(claim_specs))
        refs = _Refs()
        batch: dict[str, str] = {}
        news: list[providers.NewProvider] = []
        for index, spec in enumerate(specs):
            with fleet.item("provider", index):
                new = self._new_provider(spec, refs, batch)
                if new.uuid in batch:
                    raise InvalidArgument(f"provider {new.uuid} is listed twice", reason="DUPLICATE_PROVIDER")
            news.append(new)
            batch[new.uuid] = new.uuid
            if spec.name:
                batch.setdefault(spec.name, new.uuid)
        now = now_us()
        new_claims = []
        for index, claim_spec in enumerate(claim_specs):
            try:
                new_claims.append(self._new_claim(index, claim_spec, refs, batch, now))
            except MulliganError as error:
                raise fleet.naming_item(error, "claim", index) from None
        fleet.check_unique(new_claims)
        try:
            with self._creating_providers(specs, news, index_errors=True) as (session, ids):
                count = fleet.create(session, self._writer, new_claims, ids, now)
        except sa.exc.IntegrityError:
            # A concurrent call stored one of the batch's consumers first.
            raise AlreadyExists("a consumer of the batch already holds a claim", reason="CLAIM_EXISTS") from None
        return LoadedFleet(tuple(new.uuid for new in news), count)

    def _new_claim(
        self, index: int, spec: ClaimSpec, refs: _Refs, batch: Mapping[str, str], now: int
    ) -> fleet.NewClaim:
        consumer_uuid = check_uuid(spec.consumer_id, "consumer_id")
        if not spec.project_id:
            raise InvalidArgument("each claim of a batch names its project", reason="PROJECT_REQUIRED")
        project = refs.get("project", spec.project_id, lambda ref: tenancy.owning_project(self._project_uuid(ref)))
        kind = claims.check_kind(spec.kind or "machine")
        allocations = tuple(
            (
                batch.get(al.provider_id) or refs.get(PROVIDER, al.provider_id, self._provider_uuid),
                al.resource_class,
                al.amount,
            )
            for al in spec.allocations
        )
        claims.check_amounts(allocations)
        return fleet.NewClaim(index, consumer_uuid, project, kind, resolve(spec.window, now), allocations)

    # --- quotas -------------------------------------------------------------

    def set_quota(self, project_id: str, resource_class: str, limit: int) -> Quota:
        checked = quotas.check_limit(limit)
        if not project_id:
            raise InvalidArgument("project_id is required", reason="MISSING_ARGUMENT")
        project_id = self._project_uuid(project_id)
        with self._writer.transaction() as session:
            catalog.check_classes(session, [resource_class])
            return quotas.set_quota(session, project_id, resource_class, checked)

    def delete_quota(self, project_id: str, resource_class: str) -> None:
        project_id = self._project_uuid(project_id)
        with self._writer.transaction() as session:
            quotas.delete_quota(session, project_id, resource_class)

    def list_quotas(self, project_id: str | None = None) -> list[Quota]:
        visible = tenancy.visible_projects()
        if project_id:
            project_id = self._project_uuid(project_id)
            tenancy.check_visible(project_id, "project", project_id)
        elif visible is not None:
            project_id = next(iter(visible), "")
        with self._db.read() as session:
            return quotas.list_quotas(session, project_id)

    # --- candidates ---------------------------------------------------------

    def find_candidates(self, request: CandidateRequest) -> list[Candidate]:
        """Ranked ways to place the request groups; nothing is claimed."""
        return [found.candidate for found in self._engine.find(request)]

    def find_candidate_page(
        self, request: CandidateRequest, *, limit: int | None, page_size: int = 0, page_token: str = ""
    ) -> CandidatePage:
        """A page of ranked candidates: limit counts all pages together (None: all there are),
        and request.limit is ignored."""
        return paging.find_page(self._engine, request, limit=limit, page_size=page_size, page_token=page_token)

    def claim_best(
        self,
        consumer_id: str,
        request_groups: Sequence[RequestGroup],
        *,
        project_id: str | None = None,
        window: Window | None = None,
        same_subtree: Sequence[Sequence[str]] = (),
        group_policy: GroupPolicy = "none",
        region: str | None = None,
        rank: Rank = "pack",
        ties: Ties = "deterministic",
        kind: str = "machine",
        owner: str | None = None,
    ) -> Claim:
        """Find candidates and claim the best that still fits, in one call.

        A candidate taken by a concurrent claim is skipped and the search
        repeated, a bounded number of times.
        """
        request = CandidateRequest(
            groups=tuple(request_groups),
            same_subtree=tuple(tuple(labels) for labels in same_subtree),
            group_policy=group_policy,
            region=region,
            window=window or Window(),
            rank=rank,
            ties=ties,
        )
        return claim_best(
            self._engine,
            self._writer,
            consumer_id=check_uuid(consumer_id, "consumer_id"),
            project_id=tenancy.owning_project(self._optional_project(project_id)),
            kind=claims.check_kind(kind),
            request=request,
            owner=owner,
        )


def _page_size(limit: int) -> int:
    """At least 1; more than a page holds is served as a full page."""
    if limit < 1:
        raise InvalidArgument(f"limit must be from 1 to {MAX_PAGE}", reason="INVALID_LIMIT")
    return min(limit, MAX_PAGE)


def _page_after(token: str) -> int:
    """The row id a page token carries: a decimal the database can compare with its ids."""
    if not token:
        return 0
    # isdigit() also takes digits int() refuses ("²") and numbers of any length,
    # which no 64-bit id column can be compared with.
    if not (token.isascii() and token.isdigit()) or len(token) > _MAX_ROW_ID_DIGITS or int(token) > _MAX_ROW_ID:
        raise InvalidArgument("page_token is not valid", reason="INVALID_PAGE_TOKEN")
    return int(token)


class _Refs:
    """References resolved once per call: a bulk load names the same region,
    groups and projects many times, and each name costs a registry lookup."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], str] = {}

    def get(self, kind: str, ref: str, resolve: Callable[[str], str]) -> str:
        found = self._seen.get((kind, ref))
        if found is None:
            found = self._seen[(kind, ref)] = resolve(ref)
        return found
