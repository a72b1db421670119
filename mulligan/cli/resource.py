"""``mulligan region|resource-class|trait|provider|inventory|group|claim|quota|candidates``:
the resource service."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

import click

from mulligan.api.resource.v1 import resource_pb2 as pb
from mulligan.cli import args, paging
from mulligan.cli.app import CliState, cli
from mulligan.cli.output import emit, row
from mulligan.client import pages

_VISIBILITIES = {"internal": pb.VISIBILITY_INTERNAL, "public": pb.VISIBILITY_PUBLIC}
_GENERATION = click.option("--generation", type=int, default=None, help="Apply only at this generation.")


def _resource(ctx: click.Context) -> Any:
    state: CliState = ctx.obj
    return state.client().resource


def _window(start: str | None, end: str | None) -> pb.Window:
    window = pb.Window()
    start_time, end_time = args.moment(start, "--start"), args.moment(end, "--end")
    if start_time is not None:
        window.start_time.CopyFrom(start_time)
    if end_time is not None:
        window.end_time.CopyFrom(end_time)
    return window


def _time_text(message: Any, field: str) -> str | None:
    if not message.HasField(field):
        return None
    return str(getattr(message, field).ToDatetime(tzinfo=UTC).isoformat(timespec="seconds"))


def _digits(text: str) -> bool:
    # isdigit() alone takes digits int() refuses ("²"), and numbers too long for int().
    return text.isascii() and text.isdigit() and len(text) <= 18


def _amount(text: str, what: str) -> tuple[str, int]:
    resource_class, sep, amount = text.partition("=")
    if not sep or not _digits(amount.removeprefix("-")):
        raise click.BadParameter(f"expected CLASS=AMOUNT, got {text!r}", param_hint=what)
    return resource_class, int(amount)


def _attributes(items: Sequence[str]) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--attr")
        found[key] = value
    return found


# --- rows ---------------------------------------------------------------------


def _region_row(region: pb.Region) -> dict[str, Any]:
    return row(
        region,
        {
            "id": region.id,
            "name": region.name,
            "parent": region.parent_id or None,
            "visibility": pb.Visibility.Name(region.visibility).removeprefix("VISIBILITY_").lower(),
            "attributes": dict(region.attributes),
        },
    )


def _inventory_text(inv: pb.Inventory) -> str:
    return f"{inv.resource_class} {inv.claimed}/{inv.capacity}"


def _provider_row(provider: pb.Provider) -> dict[str, Any]:
    return row(
        provider,
        {
            "id": provider.id,
            "name": provider.name or None,
            "region": provider.region_id,
            "parent": provider.parent_id or None,
            "root": provider.root_id,
            "generation": provider.generation,
            "inventories": [_inventory_text(inv) for inv in provider.inventories],
            "traits": list(provider.traits),
            "groups": list(provider.group_ids),
            "shares_with": list(provider.shares_with_group_ids),
        },
    )


def _inventory_row(inv: pb.Inventory) -> dict[str, Any]:
    return row(
        inv,
        {
            "class": inv.resource_class,
            "total": inv.total,
            "reserved": inv.reserved,
            "min_unit": inv.min_unit,
            "max_unit": inv.max_unit,
            "step_size": inv.step_size,
            "allocation_ratio": inv.allocation_ratio,
            "capacity": inv.capacity,
            "claimed": inv.claimed,
        },
    )


def _claim_row(claim: pb.Claim) -> dict[str, Any]:
    return row(
        claim,
        {
            "consumer": claim.consumer_id,
            "project": claim.project_id,
            "kind": claim.kind,
            "generation": claim.generation,
            "start": _time_text(claim, "start_time"),
            "end": _time_text(claim, "end_time"),
            "allocations": [f"{a.provider_id}:{a.resource_class}={a.amount}" for a in claim.allocations],
        },
    )


def _group_row(group: pb.ProviderGroup) -> dict[str, Any]:
    return row(
        group,
        {"id": group.id, "name": group.name or None, "members": group.members, "sharing": group.sharing_providers},
    )


# --- regions ------------------------------------------------------------------


@cli.group()
def region() -> None:
    """Regions: nested failure domains every provider lives in."""


@region.command("create")
@click.argument("name")
@click.option("--parent", help="Parent region.")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Failure-domain attribute (repeatable).")
@click.option("--visibility", type=click.Choice(["internal", "public"]), default="internal", show_default=True)
@click.pass_context
def region_create(ctx: click.Context, name: str, parent: str | None, attrs: tuple[str, ...], visibility: str) -> None:
    """Create a region."""
    response = _resource(ctx).CreateRegion(
        pb.CreateRegionRequest(
            name=name,
            parent=parent or "",
            attributes=_attributes(attrs),
            visibility=_VISIBILITIES[visibility],
        )
    )
    emit(ctx, _region_row(response.region))


@region.command("list")
@click.option("--parent", help="Only the direct subregions of this region.")
@paging.paged
@click.pass_context
def region_list(ctx: click.Context, parent: str | None) -> None:
    """List regions."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListRegions(
            pb.ListRegionsRequest(parent=parent or "", page_size=size, page_token=token)
        ),
        "regions",
    )
    emit(ctx, [_region_row(r) for r in found], ["id", "name", "parent", "visibility", "attributes"])


@region.command("show")
@click.argument("region_ref", metavar="REGION")
@click.pass_context
def region_show(ctx: click.Context, region_ref: str) -> None:
    """Show a region."""
    emit(ctx, _region_row(_resource(ctx).GetRegion(pb.GetRegionRequest(region=region_ref)).region))


@region.command("update")
@click.argument("region_ref", metavar="REGION")
@click.option("--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Replace all attributes with these.")
@click.option("--clear-attrs", is_flag=True, help="Remove every attribute.")
@click.option("--visibility", type=click.Choice(["internal", "public"]))
@click.option("--parent", help="Move under this region.")
@click.option("--top-level", is_flag=True, help="Make the region top-level.")
@click.pass_context
def region_update(
    ctx: click.Context,
    *,
    region_ref: str,
    attrs: tuple[str, ...],
    clear_attrs: bool,
    visibility: str | None,
    parent: str | None,
    top_level: bool,
) -> None:
    """Change a region's attributes, visibility or parent."""
    request = pb.UpdateRegionRequest(
        region=region_ref,
        attributes=_attributes(attrs),
        update_attributes=bool(attrs) or clear_attrs,
        parent=parent or "",
        make_root=top_level,
    )
    if visibility:
        request.visibility = _VISIBILITIES[visibility]
    emit(ctx, _region_row(_resource(ctx).UpdateRegion(request).region))


@region.command("delete")
@click.argument("region_ref", metavar="REGION")
@click.pass_context
def region_delete(ctx: click.Context, region_ref: str) -> None:
    """Delete a region without subregions or providers."""
    _resource(ctx).DeleteRegion(pb.DeleteRegionRequest(region=region_ref))


# --- resource classes and traits --------------------------------------------------


@cli.group("resource-class")
def resource_class() -> None:
    """Resource classes: the standard set plus CUSTOM_* ones."""


@resource_class.command("create")
@click.argument("code")
@click.pass_context
def resource_class_create(ctx: click.Context, code: str) -> None:
    """Create a custom resource class (CUSTOM_[A-Z0-9_]+)."""
    created = _resource(ctx).CreateResourceClass(pb.CreateResourceClassRequest(code=code)).resource_class
    emit(ctx, row(created, {"code": created.code, "standard": created.standard}))


@resource_class.command("list")
@paging.paged
@click.pass_context
def resource_class_list(ctx: click.Context) -> None:
    """List resource classes."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListResourceClasses(pb.ListResourceClassesRequest(page_size=size, page_token=token)),
        "resource_classes",
    )
    emit(ctx, [row(c, {"code": c.code, "standard": c.standard}) for c in found], ["code", "standard"])


@resource_class.command("delete")
@click.argument("code")
@click.pass_context
def resource_class_delete(ctx: click.Context, code: str) -> None:
    """Delete an unused custom resource class."""
    _resource(ctx).DeleteResourceClass(pb.DeleteResourceClassRequest(code=code))


@cli.group()
def trait() -> None:
    """Traits: qualities of providers (standard ones plus CUSTOM_*)."""


@trait.command("create")
@click.argument("code")
@click.pass_context
def trait_create(ctx: click.Context, code: str) -> None:
    """Create a custom trait (CUSTOM_[A-Z0-9_]+)."""
    created = _resource(ctx).CreateTrait(pb.CreateTraitRequest(code=code)).trait
    emit(ctx, row(created, {"code": created.code, "standard": created.standard}))


@trait.command("list")
@click.option("--prefix", default="", help="Only traits starting with this.")
@paging.paged
@click.pass_context
def trait_list(ctx: click.Context, prefix: str) -> None:
    """List traits."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListTraits(pb.ListTraitsRequest(prefix=prefix, page_size=size, page_token=token)),
        "traits",
    )
    emit(ctx, [row(t, {"code": t.code, "standard": t.standard}) for t in found], ["code", "standard"])


@trait.command("delete")
@click.argument("code")
@click.pass_context
def trait_delete(ctx: click.Context, code: str) -> None:
    """Delete a custom trait no provider has."""
    _resource(ctx).DeleteTrait(pb.DeleteTraitRequest(code=code))


def _change_traits(ctx: click.Context, provider: str, traits: Iterable[str], how: str) -> None:
    stub = _resource(ctx)
    current = stub.GetProvider(pb.GetProviderRequest(provider=provider)).provider
    wanted = set(traits)
    if how == "add":
        wanted |= set(current.traits)
    elif how == "remove":
        wanted = set(current.traits) - wanted
    request = pb.SetTraitsRequest(provider=current.id, traits=sorted(wanted), generation=current.generation)
    emit(ctx, _provider_row(stub.SetTraits(request).provider))


@trait.command("set")
@click.argument("provider")
@click.argument("traits", nargs=-1)
@click.pass_context
def trait_set(ctx: click.Context, provider: str, traits: tuple[str, ...]) -> None:
    """Replace a provider's traits."""
    _change_traits(ctx, provider, traits, "set")


@trait.command("add")
@click.argument("provider")
@click.argument("traits", nargs=-1, required=True)
@click.pass_context
def trait_add(ctx: click.Context, provider: str, traits: tuple[str, ...]) -> None:
    """Add traits to a provider."""
    _change_traits(ctx, provider, traits, "add")


@trait.command("remove")
@click.argument("provider")
@click.argument("traits", nargs=-1, required=True)
@click.pass_context
def trait_remove(ctx: click.Context, provider: str, traits: tuple[str, ...]) -> None:
    """Remove traits from a provider."""
    _change_traits(ctx, provider, traits, "remove")


# --- providers and inventories ------------------------------------------------------


def _inventory_spec(resource_class: str, total: int, **fields: Any) -> pb.InventorySpec:
    spec = pb.InventorySpec(resource_class=resource_class, total=total, reserved=fields.get("reserved") or 0)
    for name in ("min_unit", "max_unit", "step_size", "allocation_ratio"):
        if fields.get(name) is not None:
            setattr(spec, name, fields[name])
    return spec


def _inventory_option(text: str) -> pb.InventorySpec:
    """CLASS=TOTAL[,reserved=N,min_unit=N,max_unit=N,step_size=N,allocation_ratio=X]"""
    head, *rest = text.split(",")
    resource_class, total = _amount(head, "--inventory")
    fields: dict[str, Any] = {}
    for item in rest:
        key, sep, value = item.partition("=")
        if not sep or key not in ("reserved", "min_unit", "max_unit", "step_size", "allocation_ratio"):
            raise click.BadParameter(f"unknown inventory field {item}", param_hint="--inventory")
        try:
            fields[key] = float(value) if key == "allocation_ratio" else int(value)
        except ValueError:
            raise click.BadParameter(f"{key} needs a number, got {value!r}", param_hint="--inventory") from None
    return _inventory_spec(resource_class, total, **fields)


@cli.group()
def provider() -> None:
    """Resource providers: hosts, NUMA nodes, devices, shared storage."""


@provider.command("create")
@click.argument("name", required=False)
# The spelling before NAME was positional, kept for scripts.
@click.option("--name", "old_name", hidden=True)
@click.option("--region", "region_ref", help="Region (a child lives in its parent's region).")
@click.option("--parent", help="Parent provider.")
@click.option("--id", "provider_id", help="UUID to use (generated otherwise).")
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    metavar="CLASS=TOTAL[,reserved=N,...]",
    help="Inventory (repeatable); fields reserved, min_unit, max_unit, step_size, allocation_ratio.",
)
@click.option("--trait", "traits", multiple=True, help="Trait (repeatable).")
@click.option("--group", "groups", multiple=True, help="Provider group (repeatable).")
@click.pass_context
def provider_create(
    ctx: click.Context,
    *,
    name: str | None,
    old_name: str | None,
    region_ref: str | None,
    parent: str | None,
    provider_id: str | None,
    inventories: tuple[str, ...],
    traits: tuple[str, ...],
    groups: tuple[str, ...],
) -> None:
    """Create a provider, named NAME (a provider may have no name)."""
    if name and old_name:
        raise click.UsageError("give the name once: NAME or --name")
    request = pb.CreateProviderRequest(
        region=region_ref or "",
        name=name or old_name or "",
        id=provider_id or "",
        parent=parent or "",
        inventories=[_inventory_option(text) for text in inventories],
        traits=list(traits),
        groups=list(groups),
    )
    emit(ctx, _provider_row(_resource(ctx).CreateProvider(request).provider))


@provider.command("list")
@click.option("--region", "region_ref", help="In this region or its subregions.")
@click.option("--tree", help="In the tree of this provider.")
@click.option("--parent", help="Children of this provider.")
@click.option("--roots", is_flag=True, help="Only tree roots.")
@click.option("--trait", "trait_code", help="Only providers with this trait.")
@click.option("--group", "group_ref", help="Only members of this group.")
@click.option("--class", "class_code", help="Only providers with this resource class.")
@paging.paged
@click.pass_context
def provider_list(
    ctx: click.Context,
    *,
    region_ref: str | None,
    tree: str | None,
    parent: str | None,
    roots: bool,
    trait_code: str | None,
    group_ref: str | None,
    class_code: str | None,
) -> None:
    """List providers, oldest first."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListProviders(
            pb.ListProvidersRequest(
                region=region_ref or "",
                tree=tree or "",
                parent=parent or "",
                roots_only=roots,
                trait=trait_code or "",
                group=group_ref or "",
                resource_class=class_code or "",
                page_size=size,
                page_token=token,
            )
        ),
        "providers",
    )
    emit(ctx, [_provider_row(p) for p in found], ["id", "name", "parent", "inventories", "traits"])


@provider.command("show")
@click.argument("provider_ref", metavar="PROVIDER")
@click.pass_context
def provider_show(ctx: click.Context, provider_ref: str) -> None:
    """Show a provider."""
    emit(ctx, _provider_row(_resource(ctx).GetProvider(pb.GetProviderRequest(provider=provider_ref)).provider))


@provider.command("update")
@click.argument("provider_ref", metavar="PROVIDER")
@click.option("--parent", help="Move under this provider.")
@click.option("--make-root", is_flag=True, help="Detach into a tree of its own.")
@click.option("--region", "region_ref", help="Move a root and its tree to this region.")
@_GENERATION
@click.pass_context
def provider_update(
    ctx: click.Context,
    *,
    provider_ref: str,
    parent: str | None,
    make_root: bool,
    region_ref: str | None,
    generation: int | None,
) -> None:
    """Re-parent a provider or move its tree to another region."""
    request = pb.UpdateProviderRequest(
        provider=provider_ref, parent=parent or "", make_root=make_root, region=region_ref or ""
    )
    if generation is not None:
        request.generation = generation
    emit(ctx, _provider_row(_resource(ctx).UpdateProvider(request).provider))


@provider.command("delete")
@click.argument("provider_ref", metavar="PROVIDER")
@_GENERATION
@click.pass_context
def provider_delete(ctx: click.Context, provider_ref: str, generation: int | None) -> None:
    """Delete a provider without children or claims."""
    request = pb.DeleteProviderRequest(provider=provider_ref)
    if generation is not None:
        request.generation = generation
    _resource(ctx).DeleteProvider(request)


@provider.command("usage")
@click.argument("provider_ref", metavar="PROVIDER")
@click.option("--at", help="Instant (ISO 8601 or +2h); now by default.")
@click.pass_context
def provider_usage(ctx: click.Context, provider_ref: str, at: str | None) -> None:
    """Usage of a provider's classes at one instant."""
    request = pb.GetProviderUsageRequest(provider=provider_ref, at=args.moment(at, "--at"))
    usages = _resource(ctx).GetProviderUsage(request).usages
    emit(ctx, [row(u, {"class": u.resource_class, "used": u.used, "capacity": u.capacity}) for u in usages])


@provider.group("distance")
def distance() -> None:
    """Distances between providers (the same both ways)."""


@distance.command("set")
@click.argument("provider_ref", metavar="PROVIDER")
@click.argument("other")
@click.argument("value", type=int)
@click.pass_context
def distance_set(ctx: click.Context, provider_ref: str, other: str, value: int) -> None:
    """Set the distance between two providers."""
    found = _resource(ctx).SetDistance(pb.SetDistanceRequest(provider=provider_ref, other=other, distance=value))
    emit(
        ctx,
        row(
            found.distance,
            {"provider": found.distance.provider_id, "other": found.distance.other_id, "distance": value},
        ),
    )


@distance.command("list")
@click.argument("provider_ref", metavar="PROVIDER")
@click.option("--max", "max_distance", type=int, help="Only up to this distance.")
@paging.paged
@click.pass_context
def distance_list(ctx: click.Context, provider_ref: str, max_distance: int | None) -> None:
    """Providers at a known distance from one, nearest first."""
    stub = _resource(ctx)

    def call(size: int, token: str) -> Any:
        request = pb.ListDistancesRequest(provider=provider_ref, page_size=size, page_token=token)
        if max_distance is not None:
            request.max_distance = max_distance
        return stub.ListDistances(request)

    found = paging.fetch(ctx, call, "distances")
    emit(ctx, [row(d, {"other": d.other_id, "distance": d.distance}) for d in found], ["other", "distance"])


@distance.command("delete")
@click.argument("provider_ref", metavar="PROVIDER")
@click.argument("other")
@click.pass_context
def distance_delete(ctx: click.Context, provider_ref: str, other: str) -> None:
    """Forget the distance between two providers."""
    _resource(ctx).DeleteDistance(pb.DeleteDistanceRequest(provider=provider_ref, other=other))


@cli.group()
def inventory() -> None:
    """Inventories: how much of each class a provider has."""


@inventory.command("set")
@click.argument("provider_ref", metavar="PROVIDER")
@click.argument("class_code", metavar="CLASS")
@click.option("--total", type=int, required=True)
@click.option("--reserved", type=int, default=0, show_default=True)
@click.option("--min-unit", type=int)
@click.option("--max-unit", type=int)
@click.option("--step-size", type=int)
@click.option("--allocation-ratio", type=float)
@_GENERATION
@click.pass_context
def inventory_set(
    ctx: click.Context,
    *,
    provider_ref: str,
    class_code: str,
    total: int,
    reserved: int,
    min_unit: int | None,
    max_unit: int | None,
    step_size: int | None,
    allocation_ratio: float | None,
    generation: int | None,
) -> None:
    """Add or change one inventory of a provider."""
    spec = _inventory_spec(
        class_code,
        total,
        reserved=reserved,
        min_unit=min_unit,
        max_unit=max_unit,
        step_size=step_size,
        allocation_ratio=allocation_ratio,
    )
    request = pb.SetInventoriesRequest(provider=provider_ref, inventories=[spec])
    if generation is not None:
        request.generation = generation
    updated = _resource(ctx).SetInventories(request).provider
    emit(ctx, [_inventory_row(inv) for inv in updated.inventories])


@inventory.command("list")
@click.argument("provider_ref", metavar="PROVIDER")
@click.pass_context
def inventory_list(ctx: click.Context, provider_ref: str) -> None:
    """A provider's inventories."""
    found = _resource(ctx).GetProvider(pb.GetProviderRequest(provider=provider_ref)).provider
    columns = ["class", "total", "reserved", "allocation_ratio", "capacity", "claimed", "min_unit", "max_unit"]
    emit(ctx, [_inventory_row(inv) for inv in found.inventories], [*columns, "step_size"])


@inventory.command("delete")
@click.argument("provider_ref", metavar="PROVIDER")
@click.argument("class_code", metavar="CLASS")
@_GENERATION
@click.pass_context
def inventory_delete(ctx: click.Context, provider_ref: str, class_code: str, generation: int | None) -> None:
    """Delete an inventory without claims."""
    request = pb.DeleteInventoryRequest(provider=provider_ref, resource_class=class_code)
    if generation is not None:
        request.generation = generation
    _resource(ctx).DeleteInventory(request)


# --- groups --------------------------------------------------------------------


@cli.group()
def group() -> None:
    """Provider groups (racks, aggregates) and inventory sharing."""


@group.command("create")
@click.argument("name")
@click.pass_context
def group_create(ctx: click.Context, name: str) -> None:
    """Create a provider group."""
    emit(ctx, _group_row(_resource(ctx).CreateGroup(pb.CreateGroupRequest(name=name)).group))


@group.command("list")
@paging.paged
@click.pass_context
def group_list(ctx: click.Context) -> None:
    """List provider groups."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx, lambda size, token: stub.ListGroups(pb.ListGroupsRequest(page_size=size, page_token=token)), "groups"
    )
    emit(ctx, [_group_row(g) for g in found], ["id", "name", "members", "sharing"])


@group.command("show")
@click.argument("group_ref", metavar="GROUP")
@click.pass_context
def group_show(ctx: click.Context, group_ref: str) -> None:
    """Show a group and its members."""
    stub = _resource(ctx)
    row = _group_row(stub.GetGroup(pb.GetGroupRequest(group=group_ref)).group)
    row["member_ids"] = list(
        pages(
            lambda token: stub.ListGroupMembers(
                pb.ListGroupMembersRequest(group=group_ref, page_size=paging.PAGE_SIZE, page_token=token)
            ),
            "provider_ids",
        )
    )
    emit(ctx, row)


@group.command("delete")
@click.argument("group_ref", metavar="GROUP")
@click.pass_context
def group_delete(ctx: click.Context, group_ref: str) -> None:
    """Delete a group (memberships and sharing with it go too)."""
    _resource(ctx).DeleteGroup(pb.DeleteGroupRequest(group=group_ref))


@group.command("add")
@click.argument("group_ref", metavar="GROUP")
@click.argument("providers", nargs=-1, required=True)
@click.pass_context
def group_add(ctx: click.Context, group_ref: str, providers: tuple[str, ...]) -> None:
    """Add providers to a group."""
    request = pb.AddGroupMembersRequest(group=group_ref, providers=list(providers))
    emit(ctx, _group_row(_resource(ctx).AddGroupMembers(request).group))


@group.command("remove")
@click.argument("group_ref", metavar="GROUP")
@click.argument("providers", nargs=-1, required=True)
@click.pass_context
def group_remove(ctx: click.Context, group_ref: str, providers: tuple[str, ...]) -> None:
    """Remove providers from a group."""
    request = pb.RemoveGroupMembersRequest(group=group_ref, providers=list(providers))
    emit(ctx, _group_row(_resource(ctx).RemoveGroupMembers(request).group))


@group.command("share")
@click.argument("group_ref", metavar="GROUP")
@click.argument("provider_ref", metavar="PROVIDER")
@click.pass_context
def group_share(ctx: click.Context, group_ref: str, provider_ref: str) -> None:
    """Let the group's members use PROVIDER's inventory (e.g. shared storage)."""
    request = pb.ShareInventoryRequest(provider=provider_ref, group=group_ref)
    emit(ctx, _provider_row(_resource(ctx).ShareInventory(request).provider))


@group.command("unshare")
@click.argument("group_ref", metavar="GROUP")
@click.argument("provider_ref", metavar="PROVIDER")
@click.pass_context
def group_unshare(ctx: click.Context, group_ref: str, provider_ref: str) -> None:
    """Stop sharing PROVIDER's inventory with the group."""
    request = pb.UnshareInventoryRequest(provider=provider_ref, group=group_ref)
    emit(ctx, _provider_row(_resource(ctx).UnshareInventory(request).provider))


# --- request groups (claims and candidates) --------------------------------------


def _group_spec(text: str) -> pb.RequestGroup:
    """``[LABEL:] CLASS=N ... +TRAIT !TRAIT T1|T2 @GROUP !@GROUP tree=PROVIDER near=PROVIDER:DISTANCE``"""
    label, sep, body = text.partition(":")
    if not sep or "=" in label or " " in label.strip():
        label, body = "", text
    message = pb.RequestGroup(label=label.strip())
    for token in body.split():
        _group_token(message, token)
    return message


def _group_token(message: pb.RequestGroup, token: str) -> None:
    if token.startswith("!@"):
        message.not_member_of.append(token[2:])
    elif token.startswith("@"):
        message.member_of.append(token[1:])
    elif token.startswith("+"):
        message.required_traits.append(token[1:])
    elif token.startswith("!"):
        message.forbidden_traits.append(token[1:])
    elif token.startswith("tree="):
        message.in_tree = token[5:]
    elif token.startswith("near="):
        target, _, limit = token[5:].rpartition(":")
        if not target or not _digits(limit):
            raise click.BadParameter(f"expected near=PROVIDER:DISTANCE, got {token!r}", param_hint="group")
        message.near.CopyFrom(pb.Near(provider=target, max_distance=int(limit)))
    elif "|" in token:
        message.any_traits.append(pb.TraitSet(traits=token.split("|")))
    else:
        resource_class, amount = _amount(token, "group")
        message.resources.append(pb.ResourceAmount(resource_class=resource_class, amount=amount))


def _request_groups(resources: tuple[str, ...], groups: tuple[str, ...]) -> list[pb.RequestGroup]:
    found = [_group_spec(" ".join(resources))] if resources else []
    found += [_group_spec(text) for text in groups]
    if not found:
        raise click.UsageError("give resources (VCPU=2 MEMORY_MB=4096 ...) or at least one --group")
    return found


_GROUP_HELP = (
    "A request group (repeatable): '[LABEL:] CLASS=N ... +REQUIRED !FORBIDDEN ANY1|ANY2 @GROUP !@GROUP "
    "tree=PROVIDER near=PROVIDER:DISTANCE'."
)


def _placement_options(function: Any) -> Any:
    for option in reversed(
        [
            click.option("--group", "groups", multiple=True, help=_GROUP_HELP),
            click.option("--same-subtree", multiple=True, metavar="LABEL,LABEL", help="Groups in one subtree."),
            click.option("--isolate", is_flag=True, help="Each group with resources on a provider of its own."),
            click.option("--region", "region_ref", help="In this region or its subregions."),
            click.option("--start", help="Window start (ISO 8601 or +2h); now by default."),
            click.option("--end", help="Window end; open (until released) by default."),
            click.option("--rank", type=click.Choice(["pack", "spread", "nearest"]), default="pack", show_default=True),
            click.option("--random-ties", is_flag=True, help="Break ties between equal candidates at random."),
        ]
    ):
        function = option(function)
    return function


def _placement(same_subtree: tuple[str, ...], isolate: bool, rank: str, random_ties: bool) -> dict[str, Any]:
    return {
        "same_subtree": [pb.SameSubtree(labels=item.split(",")) for item in same_subtree],
        "group_policy": pb.GROUP_POLICY_ISOLATE if isolate else pb.GROUP_POLICY_NONE,
        "rank": pb.Rank.Value(f"RANK_{rank.upper()}"),
        "ties": pb.TIES_RANDOM if random_ties else pb.TIES_DETERMINISTIC,
    }


@cli.command()
@click.argument("resources", nargs=-1)
@_placement_options
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.pass_context
def candidates(
    ctx: click.Context,
    *,
    resources: tuple[str, ...],
    groups: tuple[str, ...],
    same_subtree: tuple[str, ...],
    isolate: bool,
    region_ref: str | None,
    start: str | None,
    end: str | None,
    rank: str,
    random_ties: bool,
    limit: int,
) -> None:
    """Ranked places for RESOURCES such as VCPU=2 MEMORY_MB=4096 +HW_CPU_X86_AVX2; nothing is claimed."""
    request = pb.FindCandidatesRequest(
        groups=_request_groups(resources, groups),
        region=region_ref or "",
        window=_window(start, end),
        limit=limit,
        **_placement(same_subtree, isolate, rank, random_ties),
    )
    found = _resource(ctx).FindCandidates(request).candidates
    rows = []
    for rank_number, candidate in enumerate(found, 1):
        rows.append(
            row(
                candidate,
                {
                    "rank": rank_number,
                    "key": candidate.rank_key,
                    "plan": [
                        f"{plan.label or '-'}:{a.provider_id}:{a.resource_class}={a.amount}"
                        for plan in candidate.plans
                        for a in plan.allocations
                    ],
                    "providers": [
                        f"{p.provider_id} " + " ".join(f"{r.resource_class} {r.used}/{r.capacity}" for r in p.resources)
                        for p in candidate.providers
                    ],
                },
            )
        )
    emit(ctx, rows, ["rank", "key", "plan", "providers"])


# --- claims -----------------------------------------------------------------------


def _allocation(text: str) -> pb.Allocation:
    provider_ref, sep, rest = text.rpartition(":")
    if not sep:
        raise click.BadParameter(f"expected PROVIDER:CLASS=AMOUNT, got {text!r}", param_hint="--alloc")
    resource_class, amount = _amount(rest, "--alloc")
    return pb.Allocation(provider_id=provider_ref, resource_class=resource_class, amount=amount)


@cli.group()
def claim() -> None:
    """Claims and reservations: resources held by a consumer over a window."""


_CONSUMER = click.option("--consumer", help="Consumer UUID (a new one when omitted).")
_PROJECT = click.option("--project", "project_id", default="", help="Project (the token's by default).")
_CLAIM_PROJECT = click.option(
    "--project", "project_id", default="", help="The claim's project, where its consumer holds claims in several."
)


@claim.command("create")
@_CONSUMER
@click.option("--alloc", "allocations", multiple=True, required=True, metavar="PROVIDER:CLASS=AMOUNT")
@_PROJECT
@click.option("--kind", default="machine", show_default=True)
@click.option("--start", help="Window start (ISO 8601 or +2h); now by default.")
@click.option("--end", help="Window end; open (until released) by default.")
@click.pass_context
def claim_create(
    ctx: click.Context,
    *,
    consumer: str | None,
    allocations: tuple[str, ...],
    project_id: str,
    kind: str,
    start: str | None,
    end: str | None,
) -> None:
    """Claim amounts from named providers, all or nothing."""
    request = pb.CreateClaimRequest(
        consumer_id=consumer or str(uuid.uuid4()),
        project_id=project_id,
        kind=kind,
        allocations=[_allocation(text) for text in allocations],
        window=_window(start, end),
    )
    emit(ctx, _claim_row(_resource(ctx).CreateClaim(request).claim))


@claim.command("best")
@click.argument("resources", nargs=-1)
@_CONSUMER
@_PROJECT
@click.option("--kind", default="machine", show_default=True)
@_placement_options
@click.pass_context
def claim_best(
    ctx: click.Context,
    *,
    resources: tuple[str, ...],
    consumer: str | None,
    project_id: str,
    kind: str,
    groups: tuple[str, ...],
    same_subtree: tuple[str, ...],
    isolate: bool,
    region_ref: str | None,
    start: str | None,
    end: str | None,
    rank: str,
    random_ties: bool,
) -> None:
    """Find the best place for RESOURCES and claim it in one step."""
    request = pb.ClaimBestRequest(
        consumer_id=consumer or str(uuid.uuid4()),
        project_id=project_id,
        kind=kind,
        groups=_request_groups(resources, groups),
        region=region_ref or "",
        window=_window(start, end),
        **_placement(same_subtree, isolate, rank, random_ties),
    )
    emit(ctx, _claim_row(_resource(ctx).ClaimBest(request).claim))


@claim.command("show")
@click.argument("consumer")
@_CLAIM_PROJECT
@click.pass_context
def claim_show(ctx: click.Context, consumer: str, project_id: str) -> None:
    """Show a consumer's claim."""
    request = pb.GetClaimRequest(consumer_id=consumer, project_id=project_id)
    emit(ctx, _claim_row(_resource(ctx).GetClaim(request).claim))


@claim.command("list")
@click.option("--consumer", help="Only this consumer's claim.")
@click.option("--provider", "provider_ref", help="Only claims on this provider.")
@_PROJECT
@click.option("--from", "start", help="Only claims overlapping [--from, --to).")
@click.option("--to", "end")
@paging.paged
@click.pass_context
def claim_list(
    ctx: click.Context,
    *,
    consumer: str | None,
    provider_ref: str | None,
    project_id: str,
    start: str | None,
    end: str | None,
) -> None:
    """List claims."""
    stub = _resource(ctx)
    start_time, end_time = args.moment(start, "--from"), args.moment(end, "--to")
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListClaims(
            pb.ListClaimsRequest(
                consumer_id=consumer or "",
                provider=provider_ref or "",
                project_id=project_id,
                start_time=start_time,
                end_time=end_time,
                page_size=size,
                page_token=token,
            )
        ),
        "claims",
    )
    emit(ctx, [_claim_row(c) for c in found], ["consumer", "project", "start", "end", "allocations"])


@claim.command("replace")
@click.argument("consumer")
@click.option("--alloc", "allocations", multiple=True, required=True, metavar="PROVIDER:CLASS=AMOUNT")
@click.option("--start", help="New window start.")
@click.option("--end", help="New window end.")
@_GENERATION
@_CLAIM_PROJECT
@click.pass_context
def claim_replace(
    ctx: click.Context,
    *,
    consumer: str,
    allocations: tuple[str, ...],
    start: str | None,
    end: str | None,
    generation: int | None,
    project_id: str,
) -> None:
    """Swap a consumer's allocations atomically."""
    request = pb.ReplaceClaimRequest(
        consumer_id=consumer, allocations=[_allocation(text) for text in allocations], project_id=project_id
    )
    if start or end:
        request.window.CopyFrom(_window(start, end))
    if generation is not None:
        request.generation = generation
    emit(ctx, _claim_row(_resource(ctx).ReplaceClaim(request).claim))


@claim.command("window")
@click.argument("consumer")
@click.option("--start", help="New start (keeps the current one when omitted).")
@click.option("--end", help="New end.")
@click.option("--open", "open_end", is_flag=True, help="Hold until released (no end).")
@_GENERATION
@_CLAIM_PROJECT
@click.pass_context
def claim_window(
    ctx: click.Context,
    *,
    consumer: str,
    start: str | None,
    end: str | None,
    open_end: bool,
    generation: int | None,
    project_id: str,
) -> None:
    """Extend or shorten a claim's window (checked like a new claim)."""
    if not end and not open_end:
        raise click.UsageError("give --end or --open")
    request = pb.UpdateClaimWindowRequest(
        consumer_id=consumer, window=_window(start, None if open_end else end), project_id=project_id
    )
    if generation is not None:
        request.generation = generation
    emit(ctx, _claim_row(_resource(ctx).UpdateClaimWindow(request).claim))


@claim.command("release")
@click.argument("consumer")
@_CLAIM_PROJECT
@click.pass_context
def claim_release(ctx: click.Context, consumer: str, project_id: str) -> None:
    """Release everything a consumer holds."""
    _resource(ctx).ReleaseClaim(pb.ReleaseClaimRequest(consumer_id=consumer, project_id=project_id))


@claim.command("usage")
@click.option("--project", "project_id", required=True, help="Project whose usage to show.")
@click.option("--at", help="Instant (ISO 8601 or +2h); now by default.")
@click.pass_context
def claim_usage(ctx: click.Context, project_id: str, at: str | None) -> None:
    """A project's usage per class at one instant, with its quotas."""
    request = pb.GetProjectUsageRequest(project_id=project_id, at=args.moment(at, "--at"))
    usages = _resource(ctx).GetProjectUsage(request).usages
    emit(
        ctx,
        [
            row(u, {"class": u.resource_class, "used": u.used, "quota": u.capacity if u.HasField("capacity") else None})
            for u in usages
        ],
        ["class", "used", "quota"],
    )


# --- quotas -------------------------------------------------------------------------


@cli.group()
def quota() -> None:
    """Project quotas: the most of a class a project may hold at one instant."""


@quota.command("set")
@click.argument("project_id", metavar="PROJECT")
@click.argument("class_code", metavar="CLASS")
@click.argument("limit", type=int)
@click.pass_context
def quota_set(ctx: click.Context, project_id: str, class_code: str, limit: int) -> None:
    """Set a project's quota for a class."""
    found = (
        _resource(ctx).SetQuota(pb.SetQuotaRequest(project_id=project_id, resource_class=class_code, limit=limit)).quota
    )
    emit(ctx, row(found, {"project": found.project_id, "class": found.resource_class, "limit": found.limit}))


@quota.command("list")
@click.option("--project", "project_id", default="", help="One project's quotas.")
@paging.paged
@click.pass_context
def quota_list(ctx: click.Context, project_id: str) -> None:
    """List quotas."""
    stub = _resource(ctx)
    found = paging.fetch(
        ctx,
        lambda size, token: stub.ListQuotas(
            pb.ListQuotasRequest(project_id=project_id, page_size=size, page_token=token)
        ),
        "quotas",
    )
    emit(ctx, [row(q, {"project": q.project_id, "class": q.resource_class, "limit": q.limit}) for q in found])


@quota.command("delete")
@click.argument("project_id", metavar="PROJECT")
@click.argument("class_code", metavar="CLASS")
@click.pass_context
def quota_delete(ctx: click.Context, project_id: str, class_code: str) -> None:
    """Remove a project's quota for a class."""
    _resource(ctx).DeleteQuota(pb.DeleteQuotaRequest(project_id=project_id, resource_class=class_code))
