"""Tags, metadefs and tenant isolation through MetaService, on every backend."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest

from mulligan.context import SYSTEM, Caller, reset_caller, set_caller
from mulligan.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidArgument,
    MulliganError,
    NotFound,
    PermissionDenied,
)
from mulligan.meta import MetaService
from tests.functional.test_meta_support import KvBackend, meta_keys

pytest_plugins = ["tests.functional.test_meta_support"]

# Registered as projects by the tenants fixture: project arguments must name one.
PA, PB = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
ALICE = Caller("alice", project_id=PA, roles=frozenset({"reader", "member"}))
ALICE_ADMIN = Caller("alice-admin", project_id=PA, roles=frozenset({"reader", "member", "admin"}))
ALICE_READER = Caller("alice-reader", project_id=PA, roles=frozenset({"reader"}))
BOB = Caller("bob", project_id=PB, roles=frozenset({"reader", "member"}))

CPU = {
    "type": "object",
    "properties": {"model": {"type": "string"}, "cores": {"type": "integer", "minimum": 1}},
    "required": ["cores"],
    "additionalProperties": False,
}


@contextlib.contextmanager
def acting_as(caller: Caller) -> Iterator[None]:
    token = set_caller(caller)
    try:
        yield
    finally:
        reset_caller(token)


def named(meta: MetaService, kind: str, project: str | None, name: str) -> str:
    with meta.names.reserve(kind, project, name) as reservation:
        reservation.confirm()
    return reservation.object_id


@pytest.fixture
def meta(kv_backend: KvBackend) -> MetaService:
    return kv_backend.service()


@pytest.fixture
def tenants(meta: MetaService) -> None:
    """PA and PB registered as projects, as iam would have."""
    for name, project_id in (("project-a", PA), ("project-b", PB)):
        with meta.names.reserve("project", None, name, object_id=project_id) as reservation:
            reservation.confirm()


# -- tags


def test_tags_add_remove_replace_and_list(meta: MetaService) -> None:
    named(meta, "machine", PA, "m1")
    with acting_as(ALICE):
        assert meta.add_tags("machine", "m1", ["web", "prod", "web"]) == ["web", "prod"]
        assert meta.add_tags("machine", "m1", ["prod", "eu"]) == ["web", "prod", "eu"]
        assert meta.remove_tags("machine", "m1", ["prod", "absent"]) == ["web", "eu"]
        assert meta.replace_tags("machine", "m1", ["ünïcode tag", "x"]) == ["ünïcode tag", "x"]
        assert meta.list_tags("machine", "m1").items == ["ünïcode tag", "x"]
        assert meta.replace_tags("machine", "m1", []) == []
    assert not [k for k in meta_keys(meta.kv) if "/tag" in k]


@pytest.mark.parametrize(
    ("tags", "reason"),
    [
        (["x" * 256], "TAG_TOO_LONG"),
        ([""], "INVALID_TAG"),
        (["bad\nline"], "INVALID_TAG"),
        (["ok", "t" * 300], "TAG_TOO_LONG"),
    ],
)
def test_bad_tags_are_refused_and_nothing_is_stored(meta: MetaService, tags: list[str], reason: str) -> None:
    named(meta, "machine", PA, "m1")
    before = meta_keys(meta.kv)
    with acting_as(ALICE), pytest.raises(InvalidArgument) as caught:
        meta.add_tags("machine", "m1", tags)
    assert caught.value.reason == reason
    assert meta_keys(meta.kv) == before


def test_an_object_carries_at_most_fifty_tags(meta: MetaService) -> None:
    named(meta, "machine", PA, "m1")
    with acting_as(ALICE):
        meta.replace_tags("machine", "m1", [f"t{i}" for i in range(50)])
        with pytest.raises(InvalidArgument) as caught:
            meta.add_tags("machine", "m1", ["one-more"])
    assert caught.value.reason == "TOO_MANY_TAGS"


def test_unknown_kinds_are_refused(meta: MetaService) -> None:
    with pytest.raises(InvalidArgument) as caught:
        meta.add_tags("spaceship", "x", ["t"])
    assert caught.value.reason == "UNKNOWN_KIND"
    with pytest.raises(InvalidArgument):
        meta.find_by_tags(["t"], kind="spaceship")
    assert meta_keys(meta.kv) == []


def test_find_by_tags_all_of_and_any_of_within_what_the_caller_sees(meta: MetaService, tenants: None) -> None:
    a1, a2 = named(meta, "machine", PA, "a1"), named(meta, "machine", PA, "a2")
    b1 = named(meta, "machine", PB, "b1")
    region = named(meta, "region", None, "eu")
    meta.replace_tags("machine", a1, ["web", "prod"])
    meta.replace_tags("machine", a2, ["web"])
    meta.replace_tags("machine", b1, ["web", "prod"])
    meta.replace_tags("region", region, ["prod"])

    def ids(found: tuple[list, bool]) -> set[str]:  # type: ignore[type-arg]
        return {f.object_id for f in found[0]}

    with acting_as(ALICE):
        assert ids(meta.find_by_tags(["web", "prod"])) == {a1}
        assert ids(meta.find_by_tags(["web", "prod"], match_all=False)) == {a1, a2, region}
        assert ids(meta.find_by_tags(["prod"], match_all=False, kind="region")) == {region}
        with pytest.raises(NotFound):
            meta.find_by_tags(["web"], project_id=PB)
    with acting_as(SYSTEM):
        assert ids(meta.find_by_tags(["web", "prod"])) == {a1, b1}
        assert ids(meta.find_by_tags(["web"], project_id=PB)) == {b1}
        found, truncated = meta.find_by_tags(["web", "prod"], match_all=False, limit=2)
        assert len(found) == 2 and truncated
    first = meta.find_by_tags(["web", "prod"])[0]
    assert {(f.name, f.slug) for f in first} == {("a1", "a1"), ("b1", "b1")}


# -- isolation


def test_another_projects_objects_are_not_found(meta: MetaService, tenants: None) -> None:
    secret = named(meta, "machine", PA, "secret")
    meta.create_definition("hw", "cpu", CPU, system=True)
    meta.add_tags("machine", secret, ["x"])
    meta.set_value("machine", secret, "hw", "cpu", {"cores": 2})
    with acting_as(BOB):
        for call in (
            lambda: meta.list_tags("machine", secret),
            lambda: meta.list_tags("machine", "secret"),
            lambda: meta.add_tags("machine", secret, ["y"]),
            lambda: meta.list_values("machine", secret),
            lambda: meta.set_value("machine", secret, "hw", "cpu", {"cores": 4}),
            lambda: meta.rename("machine", secret, name="mine"),
            lambda: meta.resolve_names("machine", ["secret"], project_id=PA),
        ):
            with pytest.raises(NotFound):
                call()
        assert meta.resolve_names("machine", ["secret", secret]) == [None, None]
        assert meta.describe_objects("machine", [secret]) == []
        assert meta.find_by_tags(["x"])[0] == []
    with acting_as(ALICE):
        assert meta.list_tags("machine", "secret").items == ["x"]
        assert meta.describe_objects("machine", [secret])[0].name == "secret"
    with acting_as(SYSTEM):
        assert meta.resolve_names("machine", ["secret"], project_id=PA)[0].object_id == secret  # type: ignore[union-attr]
        assert meta.resolve_names("machine", [secret])[0].object_id == secret  # type: ignore[union-attr]
        assert meta.list_values("machine", secret).items[0].value == {"cores": 2}


def test_system_objects_are_visible_to_all_but_changed_by_admins_only(meta: MetaService) -> None:
    region = named(meta, "region", None, "eu-west")
    meta.add_tags("region", region, ["public"])
    with acting_as(ALICE):
        assert meta.list_tags("region", "eu-west").items == ["public"]
        assert meta.resolve_names("region", ["eu-west"])[0].object_id == region  # type: ignore[union-attr]
        for call in (
            lambda: meta.add_tags("region", "eu-west", ["mine"]),
            lambda: meta.rename("region", "eu-west", name="ours"),
        ):
            with pytest.raises(PermissionDenied):
                call()
    assert meta.rename("region", "eu-west", name="EU West").name == "EU West"


def test_readers_cannot_change_tags(meta: MetaService) -> None:
    named(meta, "machine", PA, "m")
    with acting_as(ALICE_READER):
        assert meta.list_tags("machine", "m").items == []
        with pytest.raises(PermissionDenied):
            meta.add_tags("machine", "m", ["t"])


def test_batches_are_limited_to_a_thousand(meta: MetaService) -> None:
    assert meta.resolve_names("machine", ["x"] * 1000) == [None] * 1000
    with pytest.raises(InvalidArgument) as caught:
        meta.resolve_names("machine", ["x"] * 1001)
    assert caught.value.reason == "BATCH_TOO_LARGE"


# -- metadefs


def test_values_are_validated_against_the_schema_naming_the_failing_path(meta: MetaService) -> None:
    machine = named(meta, "machine", PA, "m")
    meta.create_definition("hw", "cpu", CPU, description="CPU facts", system=True)
    with acting_as(ALICE):
        value = meta.set_value("machine", "m", "hw", "cpu", {"model": "EPYC", "cores": 64})
        assert (value.namespace, value.name, value.definition_project_id) == ("hw", "cpu", None)
        for bad, path in (
            ({"cores": 0}, "$.cores"),
            ({"cores": 2, "speed": 1}, "$"),
            ({"model": 3, "cores": 1}, "$.model"),
        ):
            with pytest.raises(InvalidArgument) as caught:
                meta.set_value("machine", "m", "hw", "cpu", bad)
            assert caught.value.reason == "METADEF_VALUE_INVALID"
            assert caught.value.metadata["path"] == path
            assert path in caught.value.message
        assert [v.value for v in meta.list_values("machine", machine).items] == [{"model": "EPYC", "cores": 64}]
        with pytest.raises(NotFound):
            meta.set_value("machine", "m", "hw", "nope", 1)
    assert meta.get_definition("hw", "cpu").uses == 1


@pytest.mark.parametrize(
    ("namespace", "name", "schema", "reason"),
    [
        ("hw", "cpu", {"type": "nope"}, "INVALID_SCHEMA"),
        ("hw", "cpu", {"minimum": "one"}, "INVALID_SCHEMA"),
        ("hw", "cpu", [1, 2], "INVALID_SCHEMA"),
        ("Bad NS", "cpu", {}, "INVALID_NAMESPACE"),
        ("hw", "x" * 64, {}, "INVALID_NAME"),
    ],
)
def test_bad_definitions_are_refused_and_nothing_is_stored(
    meta: MetaService, namespace: str, name: str, schema: object, reason: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        meta.create_definition(namespace, name, schema, system=True)
    assert caught.value.reason == reason
    assert meta_keys(meta.kv) == []


def test_protected_definitions_and_values_change_only_by_admins(meta: MetaService) -> None:
    named(meta, "machine", PA, "m")
    meta.create_definition("ops", "rack", {"type": "string"}, protected=True, system=True)
    with acting_as(ALICE_ADMIN):
        # A project admin is no system admin: system definitions stay out of reach.
        for call in (
            lambda: meta.set_value("machine", "m", "ops", "rack", "r1"),
            lambda: meta.update_definition("ops", "rack", description="mine"),
            lambda: meta.delete_definition("ops", "rack"),
            lambda: meta.create_definition("ops", "row", {}, system=True),
        ):
            with pytest.raises(PermissionDenied):
                call()
        meta.create_definition("team", "owner", {"type": "string"}, protected=True)
    meta.set_value("machine", "m", "ops", "rack", "r1")
    with acting_as(ALICE):
        with pytest.raises(PermissionDenied):
            meta.set_value("machine", "m", "team", "owner", "me")
        with pytest.raises(PermissionDenied):
            meta.update_definition("team", "owner", protected=False)
        with pytest.raises(PermissionDenied):
            meta.create_definition("team", "locked", {}, protected=True)
        meta.create_definition("team", "note", {"type": "string"})
        meta.set_value("machine", "m", "team", "note", "hello")
    with acting_as(ALICE_ADMIN):
        meta.set_value("machine", "m", "team", "owner", "me")
    with acting_as(ALICE):
        assert {(v.namespace, v.name): v.value for v in meta.list_values("machine", "m").items} == {
            ("ops", "rack"): "r1",
            ("team", "owner"): "me",
            ("team", "note"): "hello",
        }


def test_a_definition_in_use_cannot_be_deleted_or_get_a_new_schema(meta: MetaService) -> None:
    machine = named(meta, "machine", PA, "m")
    meta.create_definition("hw", "cpu", CPU, system=True)
    meta.set_value("machine", machine, "hw", "cpu", {"cores": 1})
    with pytest.raises(FailedPrecondition) as caught:
        meta.delete_definition("hw", "cpu")
    assert caught.value.reason == "METADEF_IN_USE"
    with pytest.raises(FailedPrecondition):
        meta.update_definition("hw", "cpu", schema={"type": "object"})
    assert meta.update_definition("hw", "cpu", description="still fine").definition.description == "still fine"
    meta.unset_value("machine", machine, "hw", "cpu")
    with pytest.raises(NotFound):
        meta.unset_value("machine", machine, "hw", "cpu")
    meta.update_definition("hw", "cpu", schema={"type": "object"})
    meta.delete_definition("hw", "cpu")
    assert meta_keys(meta.kv)[0].startswith("meta/names/")  # only the machine's name keys remain
    assert all(not k.startswith(("meta/def", "meta/values")) for k in meta_keys(meta.kv))


def test_project_definitions_are_private_and_cannot_hide_system_ones(meta: MetaService, tenants: None) -> None:
    meta.create_definition("hw", "cpu", CPU, system=True)
    with acting_as(ALICE):
        with pytest.raises(AlreadyExists):
            meta.create_definition("hw", "cpu", {})
        meta.create_definition("team", "budget", {"type": "number"})
        assert [(i.definition.namespace, i.definition.name) for i in meta.list_definitions().items] == [
            ("hw", "cpu"),
            ("team", "budget"),
        ]
    with acting_as(BOB):
        with pytest.raises(NotFound):
            meta.get_definition("team", "budget")
        with pytest.raises(NotFound):
            meta.delete_definition("team", "budget")
        assert [i.definition.name for i in meta.list_definitions().items] == ["cpu"]
        meta.create_definition("team", "budget", {"type": "string"})  # each project its own
    with acting_as(SYSTEM):
        assert len(meta.list_definitions(namespace="team").items) == 2
        assert meta.get_definition("team", "budget", project_id=PB).definition.schema == {"type": "string"}


def test_project_arguments_name_existing_projects(meta: MetaService, tenants: None) -> None:
    named(meta, "machine", PA, "m1")
    by_name = meta.create_definition("team", "budget", {"type": "number"}, project_id="project-a")
    assert by_name.definition.project_id == PA
    assert [i.definition.project_id for i in meta.list_definitions(project_id="project-a").items] == [PA]
    assert meta.resolve_names("machine", ["m1"], project_id="project-a")[0] is not None
    before = meta_keys(meta.kv)
    calls = (
        lambda ref: meta.create_definition("team", "other", {}, project_id=ref),
        lambda ref: meta.list_definitions(project_id=ref),
        lambda ref: meta.find_by_tags(["x"], project_id=ref),
        lambda ref: meta.resolve_names("machine", ["m1"], project_id=ref),
    )
    for missing in ("atlantis", "cccccccc-cccc-4ccc-8ccc-cccccccccccc"):
        for call in calls:
            with pytest.raises(NotFound) as unknown:
                call(missing)
            assert unknown.value.reason == "PROJECT_NOT_FOUND"
    assert meta_keys(meta.kv) == before
    with acting_as(ALICE):
        # Their own project by name; another one, existing or not, is not found alike.
        assert meta.resolve_names("machine", ["m1"], project_id="project-a")[0] is not None
        for other in ("project-b", "atlantis"):
            with pytest.raises(NotFound) as hidden:
                meta.list_definitions(project_id=other)
            assert hidden.value.reason == "PROJECT_NOT_FOUND"


def test_forget_drops_tags_and_values_and_frees_the_definition(meta: MetaService) -> None:
    machine = named(meta, "machine", PA, "m")
    meta.create_definition("hw", "cpu", CPU, system=True)
    meta.set_value("machine", machine, "hw", "cpu", {"cores": 1})
    meta.add_tags("machine", machine, ["a", "b"])
    meta.names.forget("machine", machine)
    assert meta.find_by_tags(["a"], match_all=False)[0] == []
    meta.delete_definition("hw", "cpu")
    assert meta_keys(meta.kv) == []


def test_racing_value_sets_and_a_definition_delete_keep_the_use_count_exact(meta: MetaService) -> None:
    machines = [named(meta, "machine", PA, f"m{i}") for i in range(20)]
    meta.create_definition("hw", "cpu", CPU, system=True)
    barrier = threading.Barrier(len(machines) + 1)
    errors: list[MulliganError] = []

    def set_one(machine: str) -> None:
        barrier.wait()
        try:
            meta.set_value("machine", machine, "hw", "cpu", {"cores": 2})
        except MulliganError as exc:
            errors.append(exc)

    def delete() -> None:
        barrier.wait()
        try:
            meta.delete_definition("hw", "cpu")
        except MulliganError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=set_one, args=(m,)) for m in machines] + [threading.Thread(target=delete)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    values = [k for k in meta_keys(meta.kv) if k.startswith("meta/values/")]
    assert all(isinstance(e, NotFound | FailedPrecondition) for e in errors), errors
    if values:
        # The delete lost: every value that exists is counted.
        assert meta.get_definition("hw", "cpu").uses == len(values)
    else:
        with pytest.raises(NotFound):
            meta.get_definition("hw", "cpu")


def test_concurrent_tag_changes_on_one_object_all_land(meta: MetaService) -> None:
    machine = named(meta, "machine", PA, "busy")
    barrier = threading.Barrier(20)

    def add(index: int) -> None:
        barrier.wait()
        with acting_as(ALICE):
            meta.add_tags("machine", machine, [f"t{index}"])

    threads = [threading.Thread(target=add, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(meta.list_tags("machine", machine).items) == sorted(f"t{i}" for i in range(20))
    # The index agrees with the tags: each tag finds the object exactly once.
    assert all(len(meta.find_by_tags([f"t{i}"])[0]) == 1 for i in range(20))
