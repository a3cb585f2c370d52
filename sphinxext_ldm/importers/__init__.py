"""Readers for other tools' data formats."""
