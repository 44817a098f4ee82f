"""Read-side selectors of the workflow engine used by other apps (reports, figures)."""

from __future__ import annotations

from kefu.workflow.models import Status


def status_codes(stages: list[str]) -> list[str]:
    """The codes of every status (of any profile) in one of `stages`, sorted."""
    return sorted(set(Status.objects.filter(stage__in=stages).values_list("code", flat=True)))
