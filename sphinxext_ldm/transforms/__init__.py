"""Post-transforms: pending nodes become output for the current builder, once every
document has been read."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxext_ldm.domain import Entry, entry_reference


class LdmPostTransform(SphinxPostTransform):
    @property
    def builder(self) -> Builder:
        # Sphinx 9 deprecates ``self.app`` in transforms; 8.1 has no ``env._app``.
        app = getattr(self.env, "_app", None) or self.app
        builder: Builder = app.builder
        return builder


def entry_url(builder: Builder, fromdocname: str, entry: Entry) -> str:
    """The URL of ``entry`` as seen from ``fromdocname``, for this builder."""
    ref = entry_reference(builder, fromdocname, entry, nodes.Text(""))
    return "#" + str(ref["refid"]) if "refid" in ref else str(ref["refuri"])
