"""The rules; importing this package registers them all."""

from cgplan.check.rules import criteria, folder, provenance, stars, structure, vague  # noqa: F401
