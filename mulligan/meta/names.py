"""Names and slugs of objects: the :class:`mulligan.naming.NameRegistry`
implementation, on the key/value store (layout in :mod:`mulligan.meta.keys`).

Uniqueness is enforced by the store: a reservation, a rename and a
confirmation are each one transaction that compares the keys it takes.
"""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from mulligan.errors import AlreadyExists, Conflict, FailedPrecondition, InvalidArgument, NotFound
from mulligan.kv import Compare, KeyValue, KeyValueStore, Op
from mulligan.meta import keys, metadefs, tags
from mulligan.meta.cache import NameCache
from mulligan.meta.records import NameRecord
from mulligan.meta.session import SessionLease
from mulligan.meta.validation import (
    check_kind,
    check_name,
    check_object_id,
    check_project_id,
    check_slug,
    looks_like_uuid,
    slugify,
    with_suffix,
)
from mulligan.naming import Named, NameRegistry

log = logging.getLogger("mulligan.meta")

DEFAULT_RESERVATION_TTL_S = 30
# etcd refuses transactions with more than 128 operations by default.
TXN_OPS = 128
_SLUG_ATTEMPTS = 10
_RENAME_ATTEMPTS = 100


def _not_found(kind: str, ref: str) -> NotFound:
    return NotFound(f"{kind} {ref!r} not found", reason=f"{kind.upper()}_NOT_FOUND", metadata={"kind": kind})


def _record(kv: KeyValue | None) -> NameRecord | None:
    return None if kv is None else NameRecord.decode(kv.value)


class Reservation:
    """A held name: confirm once the object exists, or release it.

    Used as a context manager, leaving the block with an exception releases
    the name even after ``confirm`` (the object's creation failed, whatever
    step raised), and leaving it normally without ``confirm`` releases it
    too. Put the object's commit inside the block, with ``confirm`` just
    before it.
    """

    def __init__(self, registry: Names, record: NameRecord) -> None:
        self._registry = registry
        self._record = record
        self.kind = record.kind
        self.project_id = record.project_id
        self.object_id = record.object_id
        self.name = record.name
        self.slug = record.slug
        self.state = "pending"

    def confirm(self) -> None:
        if self.state == "confirmed":
            return
        if self.state == "released":
            raise FailedPrecondition(
                f"the reservation of {self.kind} name {self.name!r} was released", reason="NAME_RESERVATION_RELEASED"
            )
        self._registry._confirm(self._record)
        if self.state == "pending":
            self._registry._session.done()
        self.state = "confirmed"

    def release(self) -> None:
        if self.state == "released":
            return
        self._registry._release(self._record)
        if self.state == "pending":
            self._registry._session.done()
        self.state = "released"

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, *exc_info: object) -> None:
        exc_type = exc_info[0] if exc_info else None
        if exc_type is not None or self.state != "confirmed":
            try:
                self.release()
            except Exception:
                if exc_type is None:
                    raise
                # Keep the original error; the lease frees a pending name anyway.
                log.warning("cannot release the name of %s %s", self.kind, self.object_id, exc_info=True)


class Names:
    """Maps names and slugs to object UUIDs and back, per kind and project.

    ``cache=True`` answers lookups from an in-process copy fed by a watch
    (misses still ask the store, so a name created a moment ago by another
    daemon is found). ``reservation_ttl`` bounds how long a crashed daemon's
    pending reservations hold their names.
    """

    def __init__(
        self, kv: KeyValueStore, *, cache: bool = True, reservation_ttl: int = DEFAULT_RESERVATION_TTL_S
    ) -> None:
        self._kv = kv
        self._session = SessionLease(kv, reservation_ttl)
        self._cache = NameCache(kv) if cache else None

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
        self._session.close()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """True once the cache has loaded (always true without a cache)."""
        return self._cache is None or self._cache.wait_ready(timeout)

    # -- NameRegistry

    def reserve(
        self,
        kind: str,
        project_id: str | None,
        name: str,
        *,
        slug: str | None = None,
        object_id: str | None = None,
    ) -> Reservation:
        """Hold name (and slug) for a new object; AlreadyExists when taken.

        Without a slug, one is derived from the name; when that one is taken
        by another object, a numbered variant (``web-2``) is used.
        """
        kind = check_kind(kind)
        project_id = check_project_id(project_id)
        name = check_name(name)
        object_id = check_object_id(object_id) if object_id is not None else str(uuid.uuid4())
        if slug is not None:
            return self._reserve(NameRecord(kind, object_id, name, check_slug(slug), project_id, pending=True), True)
        base = slugify(name) or f"{kind.replace('_', '-')}-{object_id[:8]}"
        candidate = base
        for _ in range(_SLUG_ATTEMPTS):
            try:
                return self._reserve(NameRecord(kind, object_id, name, candidate, project_id, pending=True), False)
            except _SlugTaken:
                candidate = self._free_variant(kind, project_id, base)
        raise AlreadyExists(
            f"no free slug derived from {name!r}; give one explicitly", reason="SLUG_TAKEN", metadata={"slug": base}
        )

    def resolve(self, kind: str, project_id: str | None, ref: str) -> str:
        """The UUID for a name, slug or UUID; NotFound when unknown."""
        return self.lookup(kind, project_id, ref).object_id

    def describe(self, kind: str, object_ids: Iterable[str]) -> Mapping[str, Named]:
        """Names of many objects at once; unknown ids are left out."""
        kind = check_kind(kind)
        wanted = [check_object_id(object_id) for object_id in object_ids]
        found: dict[str, Named] = {}
        missing: list[str] = []
        cache = self._live_cache()
        for object_id in wanted:
            record = cache.get(kind, object_id) if cache is not None else None
            # Pending here may be confirmed already: the watch has not told yet.
            if record is None or record.pending:
                missing.append(object_id)
            else:
                found[object_id] = record.named()
        for object_id, record in zip(missing, self._get_many([keys.object_key(kind, i) for i in missing]), strict=True):
            if record is not None and not record.pending:
                found[object_id] = record.named()
        return found

    def forget(self, kind: str, object_id: str) -> None:
        """Drop an object's name, slug, tags and metadef values (object deleted)."""
        kind = check_kind(kind)
        object_id = check_object_id(object_id)
        for _ in range(_RENAME_ATTEMPTS):
            current = self._kv.get(keys.object_key(kind, object_id))
            if current is None:
                break
            record = NameRecord.decode(current.value)
            result = self._kv.txn(
                [Compare.unchanged(current.key, current.mod_revision)],
                [
                    Op.delete(current.key),
                    Op.delete(keys.name_key(kind, record.project_id, record.name)),
                    Op.delete(keys.slug_key(kind, record.project_id, record.slug)),
                ],
            )
            if result.succeeded:
                self._applied(kind, object_id, None, result.revision)
                break
        tags.forget_object(self._kv, kind, object_id)
        metadefs.forget_object(self._kv, kind, object_id)

    # -- beyond the protocol: used by the meta service

    def lookup(self, kind: str, project_id: str | None, ref: str, *, any_project: bool = False) -> Named:
        """The object a name, slug or UUID refers to.

        With a project, its names come first, then system names; a UUID
        matches an object of that project or a system object. Without a
        project, names are looked up among system objects and a UUID matches
        any object of the kind; with ``any_project`` (for admins) a name
        found in exactly one project matches too.
        """
        kind = check_kind(kind)
        project_id = check_project_id(project_id)
        record = self._find(kind, project_id, _check_ref(ref), any_project)
        if record is None:
            raise _not_found(kind, ref)
        return record.named()

    def lookup_many(
        self, kind: str, project_id: str | None, refs: Sequence[str], *, any_project: bool = False
    ) -> list[Named | None]:
        """lookup for each ref, in order; None where nothing matches."""
        kind = check_kind(kind)
        project_id = check_project_id(project_id)
        found = self._find_many(kind, project_id, [_check_ref(ref) for ref in refs], any_project)
        return [None if record is None else record.named() for record in found]

    def get(self, kind: str, object_id: str) -> Named:
        """The name of one object; NotFound when it has none (or is pending)."""
        kind = check_kind(kind)
        record = self._object(kind, check_object_id(object_id))
        if record is None or record.pending:
            raise _not_found(kind, object_id)
        return record.named()

    def rename(self, kind: str, object_id: str, *, name: str | None = None, slug: str | None = None) -> Named:
        """Give an object a new name and/or slug, atomically with the uniqueness check.

        The slug stays as it is unless one is given: scripts and URLs keep working.
        """
        kind = check_kind(kind)
        object_id = check_object_id(object_id)
        new_name = check_name(name) if name is not None else None
        new_slug = check_slug(slug) if slug is not None else None
        for _ in range(_RENAME_ATTEMPTS):
            current = self._kv.get(keys.object_key(kind, object_id))
            record = _record(current)
            if current is None or record is None or record.pending:
                raise _not_found(kind, object_id)
            updated = replace(record, name=new_name or record.name, slug=new_slug or record.slug)
            if updated == record:
                return record.named()
            compares = [Compare.unchanged(current.key, current.mod_revision)]
            value = updated.encode()
            ops = [Op.put(current.key, value)]
            checks: list[Op] = []
            for old_key, new_key in (
                (
                    keys.name_key(kind, record.project_id, record.name),
                    keys.name_key(kind, updated.project_id, updated.name),
                ),
                (
                    keys.slug_key(kind, record.project_id, record.slug),
                    keys.slug_key(kind, updated.project_id, updated.slug),
                ),
            ):
                if old_key != new_key:
                    compares.append(Compare.absent(new_key))
                    checks.append(Op.get(new_key))
                    # While the object key is unchanged its old name and slug keys are its own.
                    ops += [Op.delete(old_key), Op.put(new_key, value)]
                else:
                    ops.append(Op.put(new_key, value))
            result = self._kv.txn(compares, ops, checks)
            if result.succeeded:
                self._applied(kind, object_id, updated, result.revision)
                return updated.named()
            for taken in result.gets:
                if taken is not None and NameRecord.decode(taken.value).object_id != object_id:
                    other = NameRecord.decode(taken.value)
                    what, reason = ("name", "NAME_TAKEN") if other.name == updated.name else ("slug", "SLUG_TAKEN")
                    raise AlreadyExists(
                        f"{kind} {what} {getattr(updated, what)!r} is taken",
                        reason=reason,
                        metadata={"kind": kind, what: getattr(updated, what)},
                    )
        raise Conflict(f"{kind} {object_id} keeps changing; try again", reason="CONCURRENT_CHANGE")

    def records(self, kind: str | None = None) -> Iterator[Named]:
        """Every confirmed name (of one kind), from the store."""
        prefix = keys.OBJECTS + (f"{check_kind(kind)}/" if kind else "")
        for item in self._kv.range(prefix):
            record = NameRecord.decode(item.value)
            if not record.pending:
                yield record.named()

    # -- internals

    def _reserve(self, record: NameRecord, slug_given: bool) -> Reservation:
        object_key = keys.object_key(record.kind, record.object_id)
        name_key = keys.name_key(record.kind, record.project_id, record.name)
        slug_key = keys.slug_key(record.kind, record.project_id, record.slug)
        value = record.encode()
        for attempt in range(2):
            lease = self._session.hold()
            try:
                result = self._kv.txn(
                    [Compare.absent(object_key), Compare.absent(name_key), Compare.absent(slug_key)],
                    [Op.put(object_key, value, lease), Op.put(name_key, value, lease), Op.put(slug_key, value, lease)],
                    [Op.get(object_key), Op.get(name_key), Op.get(slug_key)],
                )
            except NotFound as exc:
                self._session.done()
                if exc.reason != "KV_LEASE_NOT_FOUND" or attempt:
                    raise
                self._session.lost(lease)
                continue
            except BaseException:
                self._session.done()
                raise
            break
        if result.succeeded:
            self._applied(record.kind, record.object_id, record, result.revision)
            return Reservation(self, record)
        self._session.done()
        by_id, by_name, _ = result.gets
        kind = record.kind
        if by_id is not None:
            raise AlreadyExists(f"{kind} {record.object_id} already has a name", reason="OBJECT_ALREADY_NAMED")
        if by_name is not None:
            busy = " (being created)" if NameRecord.decode(by_name.value).pending else ""
            raise AlreadyExists(
                f"{kind} name {record.name!r} is taken{busy}",
                reason="NAME_TAKEN",
                metadata={"kind": kind, "name": record.name},
            )
        if slug_given:
            raise AlreadyExists(
                f"{kind} slug {record.slug!r} is taken",
                reason="SLUG_TAKEN",
                metadata={"kind": kind, "slug": record.slug},
            )
        raise _SlugTaken()

    def _free_variant(self, kind: str, project_id: str | None, base: str) -> str:
        prefix = keys.slug_key(kind, project_id, base)
        taken = {item.key.rsplit("/", 1)[-1] for item in self._kv.range(prefix)}
        number = 2
        while with_suffix(base, number) in taken:
            number += 1
        return with_suffix(base, number)

    def _confirm(self, record: NameRecord) -> None:
        pending, done = record.encode(), record.confirmed().encode()
        all_keys = self._keys_of(record)
        result = self._kv.txn(
            [Compare(key, "value", "==", pending) for key in all_keys], [Op.put(key, done) for key in all_keys]
        )
        if not result.succeeded:
            # The lease ran out (a stalled daemon): take the name again if it is still free.
            result = self._kv.txn([Compare.absent(key) for key in all_keys], [Op.put(key, done) for key in all_keys])
            if not result.succeeded:
                raise FailedPrecondition(
                    f"the reservation of {record.kind} name {record.name!r} expired and the name was taken",
                    reason="NAME_RESERVATION_EXPIRED",
                )
        self._applied(record.kind, record.object_id, record.confirmed(), result.revision)

    def _release(self, record: NameRecord) -> None:
        all_keys = self._keys_of(record)
        for state in (record, record.confirmed()):
            value = state.encode()
            result = self._kv.txn(
                [Compare(key, "value", "==", value) for key in all_keys], [Op.delete(key) for key in all_keys]
            )
            if result.succeeded:
                self._applied(record.kind, record.object_id, None, result.revision)
                return

    @staticmethod
    def _keys_of(record: NameRecord) -> list[str]:
        return [
            keys.object_key(record.kind, record.object_id),
            keys.name_key(record.kind, record.project_id, record.name),
            keys.slug_key(record.kind, record.project_id, record.slug),
        ]

    def _live_cache(self) -> NameCache | None:
        """The cache when it follows the store; else lookups read the store."""
        cache = self._cache
        return cache if cache is not None and cache.ready else None

    def _applied(self, kind: str, object_id: str, record: NameRecord | None, revision: int) -> None:
        if self._cache is not None:
            self._cache.apply(kind, object_id, record, revision)

    def _object(self, kind: str, object_id: str) -> NameRecord | None:
        cache = self._live_cache()
        record = cache.get(kind, object_id) if cache is not None else None
        if record is not None and not record.pending:
            return record
        return _record(self._kv.get(keys.object_key(kind, object_id)))

    def _find(self, kind: str, project_id: str | None, ref: str, any_project: bool = False) -> NameRecord | None:
        return self._find_many(kind, project_id, [ref], any_project)[0]

    def _find_many(
        self, kind: str, project_id: str | None, refs: Sequence[str], any_project: bool
    ) -> list[NameRecord | None]:
        """Each ref's record: from the cache, then (for what it misses) from the store."""
        scopes = (project_id, None) if project_id is not None else (None,)
        wanted = [str(uuid.UUID(ref)) if looks_like_uuid(ref) else unicodedata.normalize("NFC", ref) for ref in refs]
        found: list[NameRecord | None] = [None] * len(refs)
        cache = self._live_cache()
        misses = list(range(len(refs)))
        if cache is not None:
            misses = []
            for index, ref in enumerate(wanted):
                found[index] = self._from_cache(cache, kind, scopes, ref)
                if found[index] is None:
                    misses.append(index)
        # Not cached (yet): a change by another daemon may not have arrived.
        if len(misses) == 1:
            index = misses[0]
            found[index] = self._from_store(kind, scopes, wanted[index])
        elif misses:
            candidates = {index: self._candidate_keys(kind, scopes, wanted[index]) for index in misses}
            records = iter(self._get_many([key for index in misses for key in candidates[index]]))
            for index in misses:
                hits = [record for _ in candidates[index] if (record := next(records)) is not None]
                found[index] = next((r for r in hits if _usable(r, scopes)), None)
        if any_project and project_id is None:
            for index, ref in enumerate(wanted):
                if found[index] is None and not looks_like_uuid(ref):
                    found[index] = self._in_one_project(kind, ref)
        return found

    @staticmethod
    def _candidate_keys(kind: str, scopes: Sequence[str | None], ref: str) -> list[str]:
        """The keys that may hold ref's record, best match first."""
        if looks_like_uuid(ref):
            return [keys.object_key(kind, ref)]
        candidates = []
        for scope in scopes:
            candidates.append(keys.name_key(kind, scope, ref))
            if _could_be_slug(ref):
                candidates.append(keys.slug_key(kind, scope, ref))
        return candidates

    def _from_store(self, kind: str, scopes: Sequence[str | None], ref: str) -> NameRecord | None:
        for key in self._candidate_keys(kind, scopes, ref):
            record = _record(self._kv.get(key))
            if record is not None and _usable(record, scopes):
                return record
        return None

    @staticmethod
    def _from_cache(cache: NameCache, kind: str, scopes: Sequence[str | None], ref: str) -> NameRecord | None:
        if looks_like_uuid(ref):
            record = cache.get(kind, ref)
            return record if record is not None and _usable(record, scopes) else None
        for scope in scopes:
            record = cache.by_name(kind, scope, ref) or cache.by_slug(kind, scope, ref)
            if record is not None and not record.pending:
                return record
        return None

    def _in_one_project(self, kind: str, ref: str) -> NameRecord | None:
        cache = self._live_cache()
        candidates = cache.in_any_project(kind, ref) if cache is not None else []
        if not any(not record.pending for record in candidates):
            # A miss may be a name confirmed a moment ago whose watch event the
            # cache has not applied yet: the store has the last word.
            candidates = [
                record
                for record in (NameRecord.decode(item.value) for item in self._kv.range(f"{keys.OBJECTS}{kind}/"))
                if ref in (record.name, record.slug)
            ]
        confirmed = {record.object_id: record for record in candidates if not record.pending}
        if len(confirmed) > 1:
            raise InvalidArgument(
                f"{kind} {ref!r} matches objects in {len(confirmed)} projects; give the project or the UUID",
                reason="AMBIGUOUS_REF",
                metadata={"kind": kind, "matches": str(len(confirmed))},
            )
        return next(iter(confirmed.values()), None)

    def _get_many(self, all_keys: Sequence[str]) -> list[NameRecord | None]:
        found: list[NameRecord | None] = []
        for start in range(0, len(all_keys), TXN_OPS):
            chunk = all_keys[start : start + TXN_OPS]
            if len(chunk) == 1:
                found.append(_record(self._kv.get(chunk[0])))
                continue
            result = self._kv.txn([], [Op.get(key) for key in chunk])
            found.extend(_record(item) for item in result.gets)
        return found


def _usable(record: NameRecord, scopes: Sequence[str | None]) -> bool:
    """Confirmed, and in one of the scopes (a lookup without a project sees every UUID)."""
    return not record.pending and (scopes == (None,) or record.project_id in scopes)


def _check_ref(ref: str) -> str:
    if not isinstance(ref, str) or not ref:
        raise InvalidArgument("a reference (name, slug or UUID) must not be empty", reason="INVALID_REF")
    return ref


def _could_be_slug(ref: str) -> bool:
    try:
        check_slug(ref)
    except InvalidArgument:
        return False
    return True


class _SlugTaken(Exception):
    """A derived slug is taken: try a numbered variant."""


def as_registry(names: Names) -> NameRegistry:
    """Names as the interface other modules use (and a type check that it fits)."""
    return names
