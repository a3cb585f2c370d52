"""Post-transforms: pending nodes become output for the current builder, once every
document has been read."""

from __future__ import annotations

from docutils import nodes
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.nodes import make_refnode

from sphinxext_ldm.domain import Entry


class LdmPostTransform(SphinxPostTransform):
    @property
    def builder(self) -> Builder:
        # Sphinx 9 deprecates ``self.app`` in transforms; 8.1 has no ``env._app``.
        app = getattr(self.env, "_app", None) or self.app
        builder: Builder = app.builder
        return builder


def entry_url(builder: Builder, fromdocname: str, entry: Entry) -> str:
    """The URL of ``entry`` as seen from ``fromdocname``, for this builder."""
    ref = make_refnode(builder, fromdocname, entry.docname, entry.anchor, nodes.Text(""))
    if "refid" in ref:
        return "#" + str(ref["refid"])
    uri = str(ref["refuri"])
    # singlehtml gives "index.html#document-x#anchor"; the page has one fragment.
    if uri.count("#") > 1:
        uri = uri[: uri.index("#")] + "#" + uri.rsplit("#", 1)[1]
    return uri
