"""Renderers: pure functions from the model to text and docutils nodes."""
