"""The extension's own docutils nodes."""

from __future__ import annotations

from docutils import nodes


class pending_timeline(nodes.General, nodes.Element):  # type: ignore[misc]
    """An ``ldm-timeline`` chart, turned into output for the builder after reading.

    Attributes: ``codes`` (the selected milestones, in row order), ``schedule``,
    ``title``, ``group_by``, ``zoom``. Replaced by a post-transform; never written.
    """
