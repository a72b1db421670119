"""ClaimBest: find candidates and claim the best one that still fits.

Candidates are read without locks, so a concurrent claim may take one
before we do. The claim itself re-checks everything under the provider
locks; when a candidate no longer fits, the next one is tried, and when all
are gone the search runs again, a bounded number of times.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence

import sqlalchemy as sa

from mulligan.errors import AlreadyExists, FailedPrecondition, ResourceExhausted
from mulligan.metrics import CLAIM_CONFLICTS
from mulligan.resource import claims
from mulligan.resource.candidates import CandidateEngine
from mulligan.resource.types import CandidateRequest, Claim
from mulligan.resource.windows import now_us, resolve
from mulligan.resource.writer import Writer

log = logging.getLogger("mulligan.resource")

CANDIDATES_PER_ROUND = 3
ROUNDS = 4


def claim_best(
    engine: CandidateEngine,
    writer: Writer,
    *,
    consumer_id: str,
    project_id: str,
    kind: str,
    request: CandidateRequest,
    owner: str | None = None,
) -> Claim:
    request = dataclasses.replace(request, limit=CANDIDATES_PER_ROUND)
    taken = 0
    for _ in range(ROUNDS):
        with writer.serial():
            found = engine.find(request)
            if not found:
                break
            for candidate in found:
                claim = _try(
                    writer,
                    candidate.wants,
                    consumer_id=consumer_id,
                    project_id=project_id,
                    kind=kind,
                    request=request,
                    owner=owner,
                )
                if claim is not None:
                    return claim
                taken += 1
                CLAIM_CONFLICTS.labels("candidate_taken").inc()
    if taken:
        log.debug("candidates taken by concurrent claims", extra={"count": taken})
        raise ResourceExhausted("every candidate was taken by concurrent claims; try again", reason="CANDIDATES_TAKEN")
    raise ResourceExhausted("no provider can satisfy the request", reason="NO_CANDIDATES")


def _try(
    writer: Writer,
    wants: Sequence[claims.Want],
    *,
    consumer_id: str,
    project_id: str,
    kind: str,
    request: CandidateRequest,
    owner: str | None,
) -> Claim | None:
    """The claim, or None when the candidate no longer fits."""
    now = now_us()
    span = resolve(request.window, now)
    try:
        with writer.transaction() as session:
            return claims.create(
                session,
                writer,
                consumer_uuid=consumer_id,
                project_id=project_id,
                kind=kind,
                wants=list(wants),
                span=span,
                now=now,
                owner=owner,
            )
    except ResourceExhausted as exc:
        if exc.reason != "INSUFFICIENT_CAPACITY":
            raise
    except FailedPrecondition as exc:
        # The provider or its inventory went away since the search.
        if exc.reason != "NO_INVENTORY":
            raise
    except sa.exc.IntegrityError:
        raise AlreadyExists(f"consumer {consumer_id} already holds a claim", reason="CLAIM_EXISTS") from None
    return None
