"""The CLI reads create_time and update_time, and the fields they replaced
when a daemon older than them sets only those."""

from __future__ import annotations

from google.protobuf import timestamp_pb2

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.cli import control

OLD = timestamp_pb2.Timestamp(seconds=1_700_000_000)
NEW = timestamp_pb2.Timestamp(seconds=1_800_000_000)


def test_new_fields_win() -> None:
    machine = pb.Machine(create_time=NEW, update_time=NEW, created_at=OLD, updated_at=OLD)
    assert control._when(machine, "create_time") == "2027-01-15T08:00:00+00:00"
    assert control._when(machine, "update_time") == "2027-01-15T08:00:00+00:00"
    assert control._stamp(machine) == (NEW.seconds, 0)


def test_an_older_daemon_sets_only_the_old_fields() -> None:
    machine = pb.Machine(created_at=OLD, updated_at=OLD)
    assert control._when(machine, "create_time") == "2023-11-14T22:13:20+00:00"
    assert control._when(machine, "update_time") == "2023-11-14T22:13:20+00:00"
    assert control._stamp(machine) == (OLD.seconds, 0)
    assert control._when(pb.Host(created_at=OLD), "create_time") == "2023-11-14T22:13:20+00:00"
    assert control._when(pb.Image(), "create_time") is None


def test_rows_show_the_new_fields() -> None:
    image = pb.Image(id="i", name="tiny", create_time=NEW, created_at=OLD)
    assert control._image_row(image)["created_at"] == "2027-01-15T08:00:00+00:00"
