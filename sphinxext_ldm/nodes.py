"""The extension's own docutils nodes."""

from __future__ import annotations

from docutils import nodes


class pending_chart(nodes.General, nodes.Element):  # type: ignore[misc]
    """A chart (``ldm-timeline``, ``ldm-graph``), turned into output for the builder
    once all documents are read. Replaced by a post-transform; never written.

    Attributes: ``kind`` ("timeline", "graph", "burndown" or "trend"), ``codes`` (the
    milestones, in order), ``zoom``, and the kind's own options (``schedule``, ``title``,
    ``group_by``, ``renderer``, ``labels`` for a timeline; ``edges``, ``direction``,
    ``labels`` for a graph; ``labels`` for a trend).
    """


class pending_acronyms(nodes.General, nodes.Element):  # type: ignore[misc]
    """An ``ldm-acronyms`` table, filled at write time from every page's usage.

    Attributes: ``options`` (``scope``, ``include``, ``exclude``, ``style``).
    """


class pending_entry_link(nodes.General, nodes.Element):  # type: ignore[misc]
    """Under a release section's due line: where the milestone's catalogue entry is,
    known once every document is read (none when the section is the canonical entry).
    Attribute: ``code``.
    """


class pending_catalogue_fields(nodes.General, nodes.Element):  # type: ignore[misc]
    """The field list of one catalogue entry (dates, status, links), built at write time.

    Only the entry's signature, index entry and description are made while reading: the
    fields are most of an entry's nodes, and every read-time transform, the saved doctree
    and figure numbering would otherwise walk them. Attribute: ``code``.
    """


class unfloated_figure(nodes.General, nodes.Element):  # type: ignore[misc]
    """Holds one figure that LaTeX sets where it stands instead of floating it: a figure
    whose body is a table of any length, which may then break across pages with its
    caption after it (a float cannot break, and a long one loses its caption). Made for
    LaTeX builds only."""
