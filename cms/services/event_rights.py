"""Who may change an event: editors any event; authors only the drafts they created.

The event writes of :mod:`cms.services.event_writing` call :func:`require_edit` inside their
transaction, before they change anything, so the event it looks at cannot be published by
someone else between the check and the write.
"""

from __future__ import annotations

from cms.models import Event, EventStatus
from cms.services.errors import ContentError, not_found
from cms.services.permissions import Permission, Viewer


async def require_edit(viewer: Viewer, event_id: int) -> None:
    """Raise unless ``viewer`` may change the event now; the event is read locked
    (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the write's transaction already holds
    the database's write lock)."""
    if viewer.can(Permission.EDIT_ANY_CONTENT):
        return
    event = await Event.select_for_update().get_or_none(id=event_id)
    if event is None:
        raise not_found("event", event_id)
    if event.created_by_id != viewer.account_id or event.status is not EventStatus.DRAFT:
        raise ContentError(None, "FORBIDDEN", "Authors change their own draft events only.")
