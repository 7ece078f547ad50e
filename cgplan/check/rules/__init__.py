"""The rules; importing this package registers them all."""

from . import criteria, folder, provenance, stars, structure, vague  # noqa: F401
