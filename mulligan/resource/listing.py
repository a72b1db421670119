"""Pages of the resource lists that are read whole.

Regions, classes, traits, groups, group members, distances and quotas are
short lists (a fleet has a few hundred traits and far fewer of the rest),
so a page is cut from the whole list, in an order each list keeps stable:
a page token names the last item's key, and the next page starts after it
even if items came or went in between. The service's full-list methods stay
as they are for callers inside the daemon that want every item.
"""

from __future__ import annotations

from mulligan import pages
from mulligan.pages import Page
from mulligan.resource.service import ResourceService
from mulligan.resource.types import Distance, ProviderGroup, Quota, Region, ResourceClass, Trait


def regions(
    service: ResourceService, *, parent: str | None = None, page_size: int = 0, page_token: str = ""
) -> Page[Region]:
    """Oldest first, as the full list."""
    return pages.page_of(
        "regions",
        service.list_regions(parent=parent),
        lambda region: (pages.instant(region.created_at), region.id),
        page_size=page_size,
        page_token=page_token,
    )


def resource_classes(service: ResourceService, *, page_size: int = 0, page_token: str = "") -> Page[ResourceClass]:
    """Standard classes first, then custom ones, each by code."""
    return pages.page_of(
        "resource_classes",
        service.list_resource_classes(),
        lambda c: (0 if c.standard else 1, c.code),
        page_size=page_size,
        page_token=page_token,
    )


def traits(service: ResourceService, *, prefix: str = "", page_size: int = 0, page_token: str = "") -> Page[Trait]:
    """Standard traits first, then custom ones, each by code."""
    return pages.page_of(
        "traits",
        service.list_traits(prefix=prefix),
        lambda t: (0 if t.standard else 1, t.code),
        page_size=page_size,
        page_token=page_token,
    )


def provider_groups(service: ResourceService, *, page_size: int = 0, page_token: str = "") -> Page[ProviderGroup]:
    return pages.page_of("groups", service.list_groups(), lambda g: (g.id,), page_size=page_size, page_token=page_token)


def group_members(service: ResourceService, group: str, *, page_size: int = 0, page_token: str = "") -> Page[str]:
    return pages.page_of(
        "group_members", service.group_members(group), lambda p: (p,), page_size=page_size, page_token=page_token
    )


def distances(
    service: ResourceService,
    provider: str,
    *,
    max_distance: int | None = None,
    page_size: int = 0,
    page_token: str = "",
) -> Page[Distance]:
    """Nearest first."""
    return pages.page_of(
        "distances",
        service.list_distances(provider, max_distance=max_distance),
        lambda d: (d.distance, d.other_id),
        page_size=page_size,
        page_token=page_token,
    )


def quotas(
    service: ResourceService, project_id: str | None = None, *, page_size: int = 0, page_token: str = ""
) -> Page[Quota]:
    return pages.page_of(
        "quotas",
        service.list_quotas(project_id),
        lambda q: (q.project_id, q.resource_class),
        page_size=page_size,
        page_token=page_token,
    )
