"""Post-transforms: pending nodes become output for the current builder, once every
document has been read."""

from __future__ import annotations

from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform


class LdmPostTransform(SphinxPostTransform):
    @property
    def builder(self) -> Builder:
        # Sphinx 9 deprecates ``self.app`` in transforms; 8.1 has no ``env._app``.
        app = getattr(self.env, "_app", None) or self.app
        builder: Builder = app.builder
        return builder
