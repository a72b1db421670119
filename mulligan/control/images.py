"""Images: metadata of what machines boot from, owned by a project or the system."""

from __future__ import annotations

import json
import posixpath
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from mulligan import tenancy
from mulligan.context import current_caller
from mulligan.control import pages
from mulligan.control.models import ImageRow, MachineRow
from mulligan.control.types import LIVE_STATES, Image, ImageFormat
from mulligan.db import Database
from mulligan.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from mulligan.kv import KeyValueStore
from mulligan.naming import NameRegistry, resolve_project
from mulligan.text import checks_text

VOLUME_PREFIX = "volume:"
# Every volume Mulligan makes for a machine (its disk, its seed) is named so:
# another project's data, never an image.
MACHINE_VOLUME_PREFIX = "mulligan-"
# Where the operator's list of sources tenants may name is kept, for every daemon.
SOURCES_KEY = "control/image-sources"
MAX_ALLOWED_SOURCES = 64
MAX_SOURCE = 1024
MAX_HINTS = 32
MAX_SIZE_GB = 64 * 1024


def driver_source(source: str) -> str:
    """What the driver understands: a volume name or an absolute path."""
    return source[len(VOLUME_PREFIX) :] if source.startswith(VOLUME_PREFIX) else source


@checks_text
class Images:
    def __init__(self, database: Database, names: NameRegistry, kv: KeyValueStore) -> None:
        self._db = database
        self._names = names
        self._kv = kv

    def allowed_sources(self) -> tuple[str, ...]:
        """What tenants may name as a source: ``volume:PREFIX`` and ``/DIR/`` entries."""
        stored = self._kv.get(SOURCES_KEY)
        return tuple(json.loads(stored.value)["sources"]) if stored is not None else ()

    def set_allowed_sources(self, sources: Sequence[str]) -> tuple[str, ...]:
        """Replace the sources tenants may name; every daemon sharing the store follows."""
        checked = check_sources(sources)
        self._kv.put(SOURCES_KEY, json.dumps({"sources": list(checked)}).encode())
        return checked

    def create(
        self,
        name: str,
        *,
        format: ImageFormat,
        source: str,
        size_gb: int,
        os_hints: Mapping[str, str] | None = None,
        project: str | None = None,
        system: bool = False,
    ) -> Image:
        _check_source(source)
        self._check_allowed(source)
        if not 0 <= size_gb <= MAX_SIZE_GB:
            raise InvalidArgument(f"size_gb must be from 0 to {MAX_SIZE_GB}", reason="INVALID_IMAGE_SIZE")
        hints = _check_hints(os_hints or {})
        if system:
            if not current_caller().system_admin:
                raise PermissionDenied("only a system admin may register system images", reason="SYSTEM_IMAGE_DENIED")
            project_id = None
        else:
            named = (
                tenancy.project_argument(project, lambda typed: resolve_project(self._names, typed))
                if project
                else None
            )
            project_id = tenancy.owning_project(named)
        now = datetime.now(UTC)
        with self._names.reserve("image", project_id, name) as reservation:
            self._insert(
                ImageRow(
                    id=uuid.UUID(reservation.object_id),
                    project_id=uuid.UUID(project_id) if project_id else None,
                    format=str(format),
                    source=source,
                    size_gb=size_gb,
                    os_hints=hints,
                    created_at=now,
                )
            )
            try:
                # After the commit: the embedded name store shares the database.
                reservation.confirm()
            except BaseException:
                with self._db.write() as session:
                    session.execute(sa.delete(ImageRow).where(ImageRow.id == uuid.UUID(reservation.object_id)))
                raise
        # Read back in its own project: an admin's token may be scoped to another.
        return self.get(reservation.object_id, project_id)

    def _check_allowed(self, source: str) -> None:
        """Machine volumes for nobody; for tenants, only what the operator marked for images."""
        if is_machine_volume(source):
            raise PermissionDenied(
                f"source {source[:80]!r} is a machine's volume: machine disks are never image sources",
                reason="IMAGE_SOURCE_NOT_ALLOWED",
            )
        if current_caller().system_admin or any(source.startswith(allowed) for allowed in self.allowed_sources()):
            return
        raise PermissionDenied(
            f"source {source[:80]!r} is not among the image sources an operator allows "
            "(mulligan configure control --image-source)",
            reason="IMAGE_SOURCE_NOT_ALLOWED",
        )

    def _insert(self, row: ImageRow) -> None:
        with self._db.write() as session:
            session.add(row)

    def resolve(self, ref: str, project_id: str | None = None) -> str:
        """The UUID of an image the caller may see (its project's, or a system one)."""
        if not ref:
            raise InvalidArgument("image is required", reason="IMAGE_REQUIRED")
        caller = current_caller()
        scope = project_id or caller.project_id
        try:
            return self._names.resolve("image", scope, ref)
        except NotFound:
            raise NotFound(f"image {ref[:255]} not found", reason="IMAGE_NOT_FOUND") from None

    def get(self, ref: str, project_id: str | None = None) -> Image:
        image_id = self.resolve(ref, project_id)
        with self._db.read() as session:
            row = session.get(ImageRow, uuid.UUID(image_id))
            if row is None:
                raise NotFound(f"image {ref[:255]} not found", reason="IMAGE_NOT_FOUND")
            owner = str(row.project_id) if row.project_id else None
            # The project of the request (a system admin acting for a tenant) may use it too.
            if not (project_id and owner == project_id):
                tenancy.check_visible(owner, "image", ref[:255])
        return _to_domain(row, self._name_of(image_id))

    def bootable(self, ref: str, project_id: str) -> Image:
        """The image a machine of project_id is to be made from."""
        image = self.get(ref, project_id)
        if is_machine_volume(image.source):
            # Registered before machine volumes were refused as sources.
            raise FailedPrecondition(
                f"image {ref[:255]} is made from a machine's volume and cannot be used",
                reason="IMAGE_SOURCE_NOT_ALLOWED",
            )
        return image

    def list(self, *, page_size: int = 0, page_token: str = "") -> tuple[list[Image], str]:
        size = pages.page_size(page_size)
        query = sa.select(ImageRow).order_by(ImageRow.created_at, ImageRow.id).limit(size + 1)
        visible = tenancy.visible_projects()
        if visible is not None:
            query = query.where(
                sa.or_(ImageRow.project_id.is_(None), ImageRow.project_id.in_([uuid.UUID(p) for p in visible]))
            )
        after = pages.decode(page_token)
        if after:
            query = query.where(sa.tuple_(ImageRow.created_at, ImageRow.id) > sa.tuple_(*after))
        with self._db.read() as session:
            rows = list(session.scalars(query))
        more = len(rows) > size
        rows = rows[:size]
        names = self._names.describe("image", [str(row.id) for row in rows])
        images = [_to_domain(row, names[str(row.id)].name if str(row.id) in names else "") for row in rows]
        return images, pages.encode(rows[-1].created_at, rows[-1].id) if more else ""

    def delete(self, ref: str) -> None:
        image = self.get(ref)
        if image.project_id is None and not current_caller().system_admin:
            raise PermissionDenied("only a system admin may delete system images", reason="SYSTEM_IMAGE_DENIED")
        with self._db.write() as session:
            in_use = session.scalar(
                sa.select(sa.func.count())
                .select_from(MachineRow)
                .where(
                    MachineRow.image_id == uuid.UUID(image.id),
                    MachineRow.state.in_([str(s) for s in LIVE_STATES]),
                )
            )
            if in_use:
                raise FailedPrecondition(
                    f"image {ref} is used by {in_use} machine(s)",
                    reason="IMAGE_IN_USE",
                    metadata={"machines": str(in_use)},
                )
            session.execute(sa.delete(ImageRow).where(ImageRow.id == uuid.UUID(image.id)))
        self._names.forget("image", image.id)

    def _name_of(self, image_id: str) -> str:
        named = self._names.describe("image", [image_id]).get(image_id)
        return named.name if named else ""


def _to_domain(row: ImageRow, name: str) -> Image:
    return Image(
        id=str(row.id),
        name=name,
        format=ImageFormat(row.format),
        source=row.source,
        size_gb=row.size_gb,
        os_hints=dict(row.os_hints),
        project_id=str(row.project_id) if row.project_id else None,
        created_at=row.created_at,
    )


def check_sources(sources: Sequence[str]) -> tuple[str, ...]:
    """Allowed image sources, each ``volume:PREFIX`` or an absolute directory (kept with a final '/')."""
    if len(sources) > MAX_ALLOWED_SOURCES:
        raise InvalidArgument(f"at most {MAX_ALLOWED_SOURCES} image sources", reason="TOO_MANY_IMAGE_SOURCES")
    checked: list[str] = []
    for source in sources:
        text = source.strip()
        if text.startswith(VOLUME_PREFIX) and "/" not in text and len(text) <= MAX_SOURCE and text.isprintable():
            checked.append(text)
            continue
        directory = text.rstrip("/")
        if not directory.startswith("/") or directory.startswith("//") or posixpath.normpath(directory) != directory:
            raise InvalidArgument(
                f"image source {text[:80]!r} must be volume:PREFIX or a normalized absolute directory other than /",
                reason="INVALID_IMAGE_SOURCE",
            )
        if len(directory) >= MAX_SOURCE or not directory.isprintable():
            raise InvalidArgument(f"image source {text[:80]!r} is not a usable path", reason="INVALID_IMAGE_SOURCE")
        # A directory, so that /srv/images never admits /srv/images-other.
        checked.append(directory + "/")
    return tuple(dict.fromkeys(checked))


def is_machine_volume(source: str) -> bool:
    return posixpath.basename(driver_source(source)).startswith(MACHINE_VOLUME_PREFIX)


def _check_source(source: str) -> None:
    if not source or len(source) > MAX_SOURCE or not source.isprintable():
        raise InvalidArgument(
            "source must be volume:NAME or an absolute path, at most 1024 characters", reason="INVALID_IMAGE_SOURCE"
        )
    if source.startswith(VOLUME_PREFIX):
        if not driver_source(source) or "/" in driver_source(source):
            raise InvalidArgument("volume:NAME needs a volume name without '/'", reason="INVALID_IMAGE_SOURCE")
    elif not source.startswith("/"):
        raise InvalidArgument(
            f"source {source[:80]!r} must be volume:NAME or an absolute path", reason="INVALID_IMAGE_SOURCE"
        )
    # Allowed directories are matched as text: "..", "." or "//" could step out of them.
    elif source.startswith("//") or posixpath.normpath(source) != source:
        raise InvalidArgument(
            f"source {source[:80]!r} must be a normalized absolute path", reason="INVALID_IMAGE_SOURCE"
        )


def _check_hints(hints: Mapping[str, str]) -> dict[str, str]:
    if len(hints) > MAX_HINTS:
        raise InvalidArgument(f"at most {MAX_HINTS} os_hints", reason="TOO_MANY_OS_HINTS")
    for key, value in hints.items():
        if not key or len(key) > 64 or len(value) > 255 or not (key + value).isprintable():
            raise InvalidArgument(
                "os_hints keys must be 1-64 and values at most 255 printable characters", reason="INVALID_OS_HINT"
            )
    return dict(hints)
