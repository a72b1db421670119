"""The name registry on every key/value backend."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest

from mulligan.errors import AlreadyExists, InvalidArgument, MulliganError, NotFound
from mulligan.meta import Names
from tests.fixtures.daemon import wait_for
from tests.functional.test_meta_support import KvBackend, meta_keys

pytest_plugins = ["tests.functional.test_meta_support"]

PROJECT_A = "a" * 32
PROJECT_B = "b" * 32


def create(names: Names, kind: str, project: str | None, name: str, **options: str) -> str:
    with names.reserve(kind, project, name, **options) as reservation:
        reservation.confirm()
    return reservation.object_id


def test_a_confirmed_name_resolves_by_name_slug_and_uuid(names: Names) -> None:
    object_id = create(names, "region", None, "EU West 1")
    assert names.resolve("region", None, "EU West 1") == object_id
    assert names.resolve("region", None, "eu-west-1") == object_id
    assert names.resolve("region", None, object_id) == object_id
    assert names.resolve("region", None, object_id.upper()) == object_id
    named = names.get("region", object_id)
    assert (named.name, named.slug, named.project_id, named.kind) == ("EU West 1", "eu-west-1", None, "region")
    assert names.describe("region", [object_id, str(uuid.uuid4())]) == {object_id: named}


def test_the_object_id_can_be_chosen(names: Names) -> None:
    chosen = str(uuid.uuid4())
    assert create(names, "host", None, "h1", object_id=chosen) == chosen
    with pytest.raises(AlreadyExists) as caught:
        create(names, "host", None, "h2", object_id=chosen)
    assert caught.value.reason == "OBJECT_ALREADY_NAMED"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Zürich Nord", "zurich-nord"),
        ("  web..server__01 ", None),
        ("rack/42 (top)", "rack-42-top"),
        ("x" * 255, "x" * 63),
        ("a" + "-" * 70 + "b", "a-b"),
    ],
)
def test_slugs_are_derived_from_names(names: Names, name: str, slug: str | None) -> None:
    if slug is None:
        with pytest.raises(InvalidArgument):
            names.reserve("machine", PROJECT_A, name)
        return
    with names.reserve("machine", PROJECT_A, name) as reservation:
        reservation.confirm()
    assert reservation.slug == slug


def test_a_name_without_latin_letters_gets_a_slug_from_its_kind_and_id(names: Names) -> None:
    with names.reserve("provider_group", None, "東京") as reservation:
        reservation.confirm()
    assert reservation.slug == f"provider-group-{reservation.object_id[:8]}"
    assert names.resolve("provider_group", None, "東京") == reservation.object_id


def test_a_taken_derived_slug_gets_a_number_but_a_given_one_is_refused(names: Names) -> None:
    first = create(names, "machine", PROJECT_A, "Web 1")
    second = create(names, "machine", PROJECT_A, "web-1")
    third = create(names, "machine", PROJECT_A, "WEB 1")
    assert [names.get("machine", i).slug for i in (first, second, third)] == ["web-1", "web-1-2", "web-1-3"]
    with pytest.raises(AlreadyExists) as caught:
        names.reserve("machine", PROJECT_A, "other", slug="web-1")
    assert caught.value.reason == "SLUG_TAKEN"


def test_names_are_unique_per_kind_and_project(names: Names) -> None:
    in_a = create(names, "machine", PROJECT_A, "db")
    in_b = create(names, "machine", PROJECT_B, "db")
    system = create(names, "machine", None, "db")
    image = create(names, "image", PROJECT_A, "db")
    assert len({in_a, in_b, system, image}) == 4
    with pytest.raises(AlreadyExists) as caught:
        names.reserve("machine", PROJECT_A, "db")
    assert caught.value.reason == "NAME_TAKEN"
    assert names.resolve("machine", PROJECT_A, "db") == in_a
    assert names.resolve("machine", PROJECT_B, "db") == in_b
    assert names.resolve("machine", None, "db") == system


def test_a_project_lookup_falls_back_to_system_names_but_never_to_other_projects(names: Names) -> None:
    public = create(names, "image", None, "debian-12")
    private = create(names, "image", PROJECT_B, "secret")
    assert names.resolve("image", PROJECT_A, "debian-12") == public
    for ref in ("secret", private):
        with pytest.raises(NotFound) as caught:
            names.resolve("image", PROJECT_A, ref)
        assert caught.value.reason == "IMAGE_NOT_FOUND"
    # Without a project (an admin), a UUID finds any object.
    assert names.resolve("image", None, private) == private


def test_leaving_the_block_without_confirm_or_with_an_error_releases_the_name(
    kv_backend: KvBackend, names: Names
) -> None:
    with names.reserve("region", None, "r1"):
        pass
    with pytest.raises(RuntimeError), names.reserve("region", None, "r1") as reservation:
        reservation.confirm()
        raise RuntimeError("the object's commit failed")
    assert meta_keys(kv_backend.open()) == []
    create(names, "region", None, "r1")


def test_a_pending_name_is_taken_but_not_resolvable(names: Names) -> None:
    reservation = names.reserve("region", None, "pending")
    with pytest.raises(AlreadyExists) as caught:
        names.reserve("region", None, "pending")
    assert "being created" in caught.value.message
    with pytest.raises(NotFound):
        names.resolve("region", None, "pending")
    assert names.describe("region", [reservation.object_id]) == {}
    reservation.confirm()
    assert names.resolve("region", None, "pending") == reservation.object_id


def test_twenty_threads_racing_for_one_name_give_one_winner(kv_backend: KvBackend) -> None:
    # Two registries, as two daemons sharing the store would have.
    registries = [kv_backend.names(), kv_backend.names()]
    barrier = threading.Barrier(20)
    outcomes: list[str | MulliganError] = []
    lock = threading.Lock()

    def contend(index: int) -> None:
        barrier.wait()
        try:
            outcome: str | MulliganError = create(registries[index % 2], "machine", PROJECT_A, "the-one")
        except MulliganError as exc:
            outcome = exc
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if not isinstance(o, str)]
    assert len(winners) == 1 and len(losers) == 19
    assert all(isinstance(o, AlreadyExists) and o.reason == "NAME_TAKEN" for o in losers)
    for registry in registries:
        assert registry.resolve("machine", PROJECT_A, "the-one") == winners[0]


def test_rename_moves_name_and_slug_atomically(kv_backend: KvBackend, names: Names) -> None:
    first = create(names, "host", None, "alpha")
    second = create(names, "host", None, "beta")
    renamed = names.rename("host", first, name="Gamma")
    assert (renamed.name, renamed.slug) == ("Gamma", "alpha")  # the slug stays unless given
    assert names.resolve("host", None, "Gamma") == first
    assert names.resolve("host", None, "alpha") == first  # by the kept slug
    with pytest.raises(AlreadyExists) as caught:
        names.rename("host", first, name="beta")
    assert caught.value.reason == "NAME_TAKEN"
    with pytest.raises(AlreadyExists) as caught:
        names.rename("host", second, slug="alpha")
    assert caught.value.reason == "SLUG_TAKEN"
    names.rename("host", first, slug="gamma")
    create(names, "host", None, "alpha")  # both old keys are free again
    assert sorted(n.name for n in names.records("host")) == ["Gamma", "alpha", "beta"]
    assert len(meta_keys(kv_backend.open())) == 9


def test_racing_renames_to_one_name_give_one_winner(names: Names) -> None:
    ids = [create(names, "host", None, f"h{i}") for i in range(10)]
    barrier = threading.Barrier(len(ids))
    won: list[str] = []
    lost: list[MulliganError] = []

    def rename(object_id: str) -> None:
        barrier.wait()
        try:
            names.rename("host", object_id, name="leader")
            won.append(object_id)
        except MulliganError as exc:
            lost.append(exc)

    threads = [threading.Thread(target=rename, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(won) == 1 and len(lost) == 9
    assert all(isinstance(e, AlreadyExists) for e in lost)
    assert names.resolve("host", None, "leader") == won[0]


def test_forget_frees_the_name(kv_backend: KvBackend, names: Names) -> None:
    object_id = create(names, "machine", PROJECT_A, "gone")
    names.forget("machine", object_id)
    names.forget("machine", object_id)  # forgetting twice is fine
    with pytest.raises(NotFound):
        names.resolve("machine", PROJECT_A, object_id)
    assert meta_keys(kv_backend.open()) == []
    create(names, "machine", PROJECT_A, "gone")


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda n: n.reserve("machine", PROJECT_A, "x" * 256), "NAME_TOO_LONG"),
        (lambda n: n.reserve("machine", PROJECT_A, ""), "INVALID_NAME"),
        (lambda n: n.reserve("machine", PROJECT_A, "tab\there"), "INVALID_NAME"),
        (lambda n: n.reserve("machine", PROJECT_A, " padded"), "INVALID_NAME"),
        (lambda n: n.reserve("machine", PROJECT_A, str(uuid.uuid4())), "INVALID_NAME"),
        (lambda n: n.reserve("machine", PROJECT_A, "ok", slug="Not_A_Slug"), "INVALID_SLUG"),
        (lambda n: n.reserve("machine", PROJECT_A, "ok", slug="-edge"), "INVALID_SLUG"),
        (lambda n: n.reserve("machine", PROJECT_A, "ok", slug="a" * 64), "INVALID_SLUG"),
        (lambda n: n.reserve("machine", PROJECT_A, "ok", object_id="not-a-uuid"), "INVALID_OBJECT_ID"),
        (lambda n: n.reserve("spaceship", PROJECT_A, "ok"), "UNKNOWN_KIND"),
        (lambda n: n.resolve("spaceship", None, "ok"), "UNKNOWN_KIND"),
        (lambda n: n.resolve("machine", None, ""), "INVALID_REF"),
        (lambda n: n.describe("machine", ["nope"]), "INVALID_OBJECT_ID"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(
    kv_backend: KvBackend, names: Names, call: Callable[[Names], object], reason: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        call(names)
    assert caught.value.reason == reason
    assert meta_keys(kv_backend.open()) == []


def test_a_name_confirmed_elsewhere_is_found_before_the_watch_tells(kv_backend: KvBackend) -> None:
    here, there = kv_backend.names(), kv_backend.names()
    reservation = here.reserve("region", None, "just-made")
    cache = there._live_cache()  # white box: the state this test is about
    assert cache is not None
    wait_for(lambda: cache.get("region", reservation.object_id), what="the other cache to see the pending name")
    reservation.confirm()
    # The other cache may still say pending: the store has the last word.
    assert there.describe("region", [reservation.object_id])[reservation.object_id].name == "just-made"
    assert there.get("region", reservation.object_id).name == "just-made"


def test_another_daemon_sees_a_rename(kv_backend: KvBackend) -> None:
    """How soon (well under a second) is measured by bench/propagation.py."""
    here, there = kv_backend.names(), kv_backend.names()
    object_id = create(here, "region", None, "before")
    wait_for(lambda: there.get("region", object_id).name == "before", timeout=10)
    here.rename("region", object_id, name="after")
    # By UUID, so the answer comes from the other registry's cache, fed by its watch.
    wait_for(lambda: there.get("region", object_id).name == "after", timeout=10, interval=0.005)
    assert there.resolve("region", None, "after") == object_id
    here.rename("region", object_id, slug="after")
    wait_for(lambda: there.get("region", object_id).slug == "after", timeout=10, interval=0.005)
    # The answer above may have come from the store while the other cache
    # reloaded; that cache then catches up through its watch.
    wait_for(lambda: _unknown(there, "region", "before"), timeout=10, interval=0.005)


def _unknown(names: Names, kind: str, ref: str) -> bool:
    try:
        names.resolve(kind, None, ref)
    except NotFound:
        return True
    return False


def test_cached_lookups_do_not_touch_the_store(kv_backend: KvBackend) -> None:
    store = kv_backend.open()
    calls: list[str] = []

    class Counting:
        def __getattr__(self, name: str) -> object:
            calls.append(name)
            return getattr(store, name)

    registry = Names(Counting())  # type: ignore[arg-type]
    try:
        assert registry.wait_ready(10)
        object_id = create(registry, "region", None, "cached")
        calls.clear()
        for ref in ("cached", object_id):
            assert registry.resolve("region", None, ref) == object_id
        assert registry.describe("region", [object_id])[object_id].name == "cached"
        assert calls == []
    finally:
        registry.close()


def test_an_uncached_registry_answers_the_same(kv_backend: KvBackend, names: Names) -> None:
    direct = kv_backend.names(cache=False)
    object_id = create(names, "machine", PROJECT_A, "Direct Hit")
    assert direct.resolve("machine", PROJECT_A, "Direct Hit") == object_id
    assert direct.resolve("machine", PROJECT_A, "direct-hit") == object_id
    # More than one store transaction's worth (128 reads) of ids.
    many = [create(direct, "machine", PROJECT_A, f"m{i}") for i in range(130)]
    described = direct.describe("machine", [*many, object_id])
    assert len(described) == 131 and described[many[-1]].name == "m129"
    found = direct.lookup_many("machine", PROJECT_A, [f"m{i}" for i in range(130)] + ["nope"])
    assert [n.object_id if n else None for n in found] == [*many, None]
