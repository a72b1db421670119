"""``mulligan tag``, ``mulligan metadef`` and ``mulligan name``: the meta service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mulligan.api.meta.v1 import meta_pb2 as pb
from mulligan.cli import paging
from mulligan.cli.app import CliState, cli
from mulligan.cli.output import emit, row
from mulligan.naming import KINDS

_KIND = click.Choice(sorted(KINDS))
_PROJECT = click.option("--project", "project_id", default="", help="Project of the object (admins).")


def _meta(ctx: click.Context) -> Any:
    state: CliState = ctx.obj
    return state.client().meta


def _ref(kind: str, ref: str, project_id: str) -> pb.ObjectRef:
    return pb.ObjectRef(kind=kind, ref=ref, project_id=project_id)


def _json_arg(text: str, what: str) -> str:
    """JSON text from TEXT or @FILE, checked locally for a readable error."""
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {text[1:]}: {exc.strerror}", param_hint=what) from None
    try:
        json.loads(text)
    except ValueError as exc:
        raise click.BadParameter(f"not valid JSON: {exc}", param_hint=what) from None
    return text


def _page(request: Any, size: int, token: str) -> Any:
    """A copy of a List request asking for one page."""
    page = type(request)()
    page.CopyFrom(request)
    page.page_size, page.page_token = size, token
    return page


def _value_json(text: str) -> str:
    """A JSON value; anything that is not JSON is taken as a string."""
    if text.startswith("@"):
        return _json_arg(text, "VALUE")
    try:
        json.loads(text)
    except ValueError:
        return json.dumps(text)
    return text


def _object_row(obj: pb.ObjectName) -> dict[str, Any]:
    return row(
        obj,
        {
            "kind": obj.kind,
            "id": obj.object_id,
            "name": obj.name,
            "slug": obj.slug,
            "project": obj.project_id or None,
        },
    )


def _definition_row(d: pb.Definition) -> dict[str, Any]:
    return row(
        d,
        {
            "namespace": d.namespace,
            "name": d.name,
            "owner": d.project_id or "system",
            "protected": d.protected,
            "uses": d.uses,
            "description": d.description,
            "schema": json.loads(d.schema_json),
        },
    )


# -- names


@cli.group()
def name() -> None:
    """Look up and change the names and slugs of objects."""


@name.command("resolve")
@click.argument("kind", type=_KIND)
@click.argument("refs", nargs=-1, required=True)
@_PROJECT
@click.pass_context
def name_resolve(ctx: click.Context, *, kind: str, refs: tuple[str, ...], project_id: str) -> None:
    """Show the objects that names, slugs or UUIDs refer to."""
    response = _meta(ctx).ResolveNames(pb.ResolveNamesRequest(kind=kind, refs=list(refs), project_id=project_id))
    rows = [
        {"ref": r.ref, **(_object_row(r.object) if r.found else {"kind": kind, "id": None})} for r in response.results
    ]
    emit(ctx, rows, ["ref", "kind", "id", "name", "slug", "project"])
    if not all(r.found for r in response.results):
        ctx.exit(1)


@name.command("set")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.option("--name", "new_name", default="", help="The new name.")
@click.option("--slug", "new_slug", default="", help="The new slug (kept when not given).")
@_PROJECT
@click.pass_context
def name_set(ctx: click.Context, *, kind: str, ref: str, new_name: str, new_slug: str, project_id: str) -> None:
    """Rename an object and/or change its slug."""
    if not new_name and not new_slug:
        raise click.UsageError("give --name, --slug or both")
    response = _meta(ctx).RenameObject(
        pb.RenameObjectRequest(object=_ref(kind, ref, project_id), name=new_name, slug=new_slug)
    )
    emit(ctx, _object_row(response.object))


# -- tags


@cli.group()
def tag() -> None:
    """Tag objects and find objects by tag."""


def _emit_tags(ctx: click.Context, tags: Any) -> None:
    if ctx.obj.output == "json":
        emit(ctx, {"tags": list(tags)})
    else:
        for value in tags:
            click.echo(value)


@tag.command("add")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.argument("tags", nargs=-1, required=True)
@_PROJECT
@click.pass_context
def tag_add(ctx: click.Context, *, kind: str, ref: str, tags: tuple[str, ...], project_id: str) -> None:
    """Add tags to an object."""
    response = _meta(ctx).AddTags(pb.AddTagsRequest(object=_ref(kind, ref, project_id), tags=list(tags)))
    _emit_tags(ctx, response.tags)


@tag.command("remove")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.argument("tags", nargs=-1, required=True)
@_PROJECT
@click.pass_context
def tag_remove(ctx: click.Context, *, kind: str, ref: str, tags: tuple[str, ...], project_id: str) -> None:
    """Remove tags from an object."""
    response = _meta(ctx).RemoveTags(pb.RemoveTagsRequest(object=_ref(kind, ref, project_id), tags=list(tags)))
    _emit_tags(ctx, response.tags)


@tag.command("set")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.argument("tags", nargs=-1)
@_PROJECT
@click.pass_context
def tag_set(ctx: click.Context, *, kind: str, ref: str, tags: tuple[str, ...], project_id: str) -> None:
    """Replace all of an object's tags (none given: remove them all)."""
    response = _meta(ctx).ReplaceTags(pb.ReplaceTagsRequest(object=_ref(kind, ref, project_id), tags=list(tags)))
    _emit_tags(ctx, response.tags)


@tag.command("list")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@_PROJECT
@paging.paged
@click.pass_context
def tag_list(ctx: click.Context, *, kind: str, ref: str, project_id: str) -> None:
    """Show an object's tags."""
    meta = _meta(ctx)
    request = pb.ListTagsRequest(object=_ref(kind, ref, project_id))
    _emit_tags(ctx, paging.fetch(ctx, lambda size, token: meta.ListTags(_page(request, size, token)), "tags"))


@tag.command("find")
@click.argument("tags", nargs=-1, required=True)
@click.option("--any", "match_any", is_flag=True, help="Objects with any of the tags (default: all of them).")
@click.option("--kind", type=_KIND, default=None, help="Only objects of this kind.")
@click.option("--project", "project_id", default="", help="Only objects of this project.")
@click.option("--limit", type=click.IntRange(0, 10_000), default=0, help="At most this many (default 1000).")
@click.pass_context
def tag_find(
    ctx: click.Context, *, tags: tuple[str, ...], match_any: bool, kind: str | None, project_id: str, limit: int
) -> None:
    """Find the objects carrying all (or --any) of the tags."""
    response = _meta(ctx).FindByTags(
        pb.FindByTagsRequest(
            tags=list(tags),
            match=pb.TAG_MATCH_ANY if match_any else pb.TAG_MATCH_ALL,
            kind=kind or "",
            project_id=project_id,
            limit=limit,
        )
    )
    emit(ctx, [_object_row(obj) for obj in response.objects], ["kind", "id", "name", "slug", "project"])
    if response.truncated:
        click.echo("(more objects match: raise --limit or narrow the search)", err=True)


# -- metadefs


@cli.group()
def metadef() -> None:
    """Define schema-checked metadata and set it on objects."""


@metadef.command("create")
@click.argument("namespace")
@click.argument("name")
@click.option("--schema", "schema", required=True, help="JSON Schema, as JSON text or @FILE.")
@click.option("--description", default="", help="What the values mean.")
@click.option("--protected", is_flag=True, help="Only admins may change it and its values.")
@click.option("--system", is_flag=True, help="A definition for every project (system admins).")
@click.option("--project", "project_id", default="", help="The owning project (admins).")
@click.pass_context
def metadef_create(
    ctx: click.Context,
    *,
    namespace: str,
    name: str,
    schema: str,
    description: str,
    protected: bool,
    system: bool,
    project_id: str,
) -> None:
    """Define NAMESPACE/NAME with a JSON Schema."""
    response = _meta(ctx).CreateDefinition(
        pb.CreateDefinitionRequest(
            namespace=namespace,
            name=name,
            schema_json=_json_arg(schema, "--schema"),
            description=description,
            protected=protected,
            system=system,
            project_id=project_id,
        )
    )
    emit(ctx, _definition_row(response.definition))


def _definition_ref(namespace: str, name: str, project_id: str) -> pb.DefinitionRef:
    return pb.DefinitionRef(namespace=namespace, name=name, project_id=project_id)


@metadef.command("show")
@click.argument("namespace")
@click.argument("name")
@_PROJECT
@click.pass_context
def metadef_show(ctx: click.Context, *, namespace: str, name: str, project_id: str) -> None:
    """Show one definition."""
    response = _meta(ctx).GetDefinition(
        pb.GetDefinitionRequest(definition=_definition_ref(namespace, name, project_id))
    )
    emit(ctx, _definition_row(response.definition))


@metadef.command("list")
@click.option("--namespace", default="", help="Only this namespace.")
@click.option("--project", "project_id", default="", help="This project's definitions and the system's (admins).")
@paging.paged
@click.pass_context
def metadef_list(ctx: click.Context, *, namespace: str, project_id: str) -> None:
    """List the definitions you may use."""
    meta = _meta(ctx)
    request = pb.ListDefinitionsRequest(namespace=namespace, project_id=project_id)
    found = paging.fetch(ctx, lambda size, token: meta.ListDefinitions(_page(request, size, token)), "definitions")
    emit(
        ctx,
        [_definition_row(d) for d in found],
        ["namespace", "name", "owner", "protected", "uses", "description"],
    )


@metadef.command("update")
@click.argument("namespace")
@click.argument("name")
@click.option("--schema", default=None, help="New JSON Schema (only while unused), JSON text or @FILE.")
@click.option("--description", default=None, help="New description.")
@click.option("--protected/--unprotected", default=None, help="Change the protection.")
@_PROJECT
@click.pass_context
def metadef_update(
    ctx: click.Context,
    *,
    namespace: str,
    name: str,
    schema: str | None,
    description: str | None,
    protected: bool | None,
    project_id: str,
) -> None:
    """Change a definition."""
    request = pb.UpdateDefinitionRequest(definition=_definition_ref(namespace, name, project_id))
    if schema is not None:
        request.schema_json = _json_arg(schema, "--schema")
    if description is not None:
        request.description = description
    if protected is not None:
        request.protected = protected
    emit(ctx, _definition_row(_meta(ctx).UpdateDefinition(request).definition))


@metadef.command("delete")
@click.argument("namespace")
@click.argument("name")
@_PROJECT
@click.pass_context
def metadef_delete(ctx: click.Context, *, namespace: str, name: str, project_id: str) -> None:
    """Delete a definition that no object uses."""
    _meta(ctx).DeleteDefinition(pb.DeleteDefinitionRequest(definition=_definition_ref(namespace, name, project_id)))


@metadef.command("set")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.argument("namespace")
@click.argument("name")
@click.argument("value")
@_PROJECT
@click.pass_context
def metadef_set(
    ctx: click.Context, *, kind: str, ref: str, namespace: str, name: str, value: str, project_id: str
) -> None:
    """Set an object's NAMESPACE/NAME to VALUE (JSON, @FILE, or else a plain string)."""
    response = _meta(ctx).SetValue(
        pb.SetValueRequest(
            object=_ref(kind, ref, project_id), namespace=namespace, name=name, value_json=_value_json(value)
        )
    )
    emit(
        ctx,
        {
            "namespace": response.value.namespace,
            "name": response.value.name,
            "value": json.loads(response.value.value_json),
        },
    )


@metadef.command("unset")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@click.argument("namespace")
@click.argument("name")
@_PROJECT
@click.pass_context
def metadef_unset(ctx: click.Context, *, kind: str, ref: str, namespace: str, name: str, project_id: str) -> None:
    """Remove an object's value of NAMESPACE/NAME."""
    _meta(ctx).UnsetValue(pb.UnsetValueRequest(object=_ref(kind, ref, project_id), namespace=namespace, name=name))


@metadef.command("values")
@click.argument("kind", type=_KIND)
@click.argument("ref")
@_PROJECT
@paging.paged
@click.pass_context
def metadef_values(ctx: click.Context, *, kind: str, ref: str, project_id: str) -> None:
    """Show every metadef value an object holds."""
    meta = _meta(ctx)
    request = pb.ListValuesRequest(object=_ref(kind, ref, project_id))
    found = paging.fetch(ctx, lambda size, token: meta.ListValues(_page(request, size, token)), "values")
    rows = [
        {
            "namespace": v.namespace,
            "name": v.name,
            "value": json.loads(v.value_json),
            "owner": v.definition_project_id or "system",
        }
        for v in found
    ]
    emit(ctx, rows, ["namespace", "name", "value", "owner"])
