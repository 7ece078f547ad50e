"""``cgplan prompt``: the team's plan-writing prompt, filled in, with only the grounded context for one gap.

The prompt is shipped as ``templates/seed-prompt.md``. ``$0`` becomes the
system, ``$1`` the gap (its slug in the output file name, its name elsewhere).
After it come the raw sections the plan must rest on: the gap's section of
gap-analysis.md, its sketch, and the sections of the stars it touches.
"""

from __future__ import annotations

from importlib import resources

from cgplan.model.construction import Construction, Gap, Source


def seed_prompt() -> str:
    """The shipped prompt text."""
    return resources.files("cgplan.render").joinpath("templates/seed-prompt.md").read_text(encoding="utf-8")


def _section_text(construction: Construction, src: Source, cache: dict) -> str:
    from cgplan.load.markdown import parse_file

    path = construction.root / src.file
    doc = cache.get(path)
    if doc is None:
        doc = cache[path] = parse_file(path, src.file)
    for sec in doc.root.walk():
        if sec.level and sec.line == src.line:
            return doc.section_text(sec).strip("\n")
    return ""


def build_prompt(construction: Construction, gap: Gap) -> str:
    """The filled prompt followed by the grounded context for ``gap``."""
    from cgplan.plan.inputs import star_pool

    text = seed_prompt()
    text = text.replace("code-generation-plan-$1.md", f"code-generation-plan-{gap.slug}.md")
    text = text.replace("$0", construction.system).replace("$1", gap.name)
    cache: dict = {}
    parts = [text.rstrip("\n"), "", "<grounded-context>", ""]
    parts += [f"<!-- {gap.source.cite()} -->", _section_text(construction, gap.source, cache), ""]
    sk = construction.sketch_for(gap)
    if sk is not None:
        parts += [f"<!-- {sk.source.cite()} -->", _section_text(construction, sk.source, cache), ""]
    for name in star_pool(construction, gap):
        star = construction.star(name)
        if star is not None:
            parts += [f"<!-- {star.source.cite()} -->", _section_text(construction, star.source, cache), ""]
    parts += ["</grounded-context>", ""]
    return "\n".join(parts)
