"""Render a :class:`~cgplan.plan_model.Plan` as Markdown (seed format, via a Jinja2 template) or JSON.

Document text reaches the template only as data, so a name such as
``{{ 7*7 }}`` comes out literally. The Markdown ends with the ``cgplan:meta``
line (:mod:`cgplan.meta`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from cgplan.model.construction import to_jsonable
from cgplan.model.plan import Plan
from cgplan.render.meta import PlanMeta, attach
from cgplan.render.text import fence, md, no_raw_html

_VERB_FIRST = re.compile(r"^(?!(?:is|has|was|as|its|this|these|those|us|bus|class|access|address|status)\b)[a-z]+s\b")
"""A text that opens with a verb in the third person (``reads``, ``sends``, ``publishes``)."""


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("cgplan.render", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["fence"] = fence
    return env.get_template("plan.md.j2")


def _context_block(plan: Plan) -> str:
    lines = ["CONSTELLATION CONTEXT", f"Implements: {plan.gap_name} ({plan.gap_cite})"]
    if plan.sketch_cite:
        lines.append(f"Sketch: {plan.sketch_cite}")
    for su in plan.connects:
        lines.append(f"Star: {su.name} ({su.cite})")
    lines.append(
        f"Constraints: {plan.gap_cite}, Constraints That Must Shape It; and each star's limits listed in this plan"
    )
    return "\n".join(lines)


def render_markdown(plan: Plan) -> str:
    """The plan as Markdown in the seed's format, ending with the meta line."""
    star_cites = {su.name: su.cite for su in plan.connects}
    for comp in plan.components:
        for su in comp.stars:
            star_cites.setdefault(su.name, su.cite)
    overview = [
        {
            "name": su.name,
            "cite": su.cite,
            "via": su.integration_point[0].text if su.integration_point else "",
            # a gap line that says what the gap does with the star (``reads overdue loans``) reads without "via"
            "says_what": bool(su.integration_point and _VERB_FIRST.match(su.integration_point[0].text)),
        }
        for su in plan.connects
    ]
    from cgplan.render.view import build_view

    views = build_view(plan)
    text = _template().render(
        p=plan, views=views, overview_stars=overview, star_cites=star_cites, context_block=_context_block(plan)
    )
    text = no_raw_html(re.sub(r"\n{3,}", "\n\n", text))
    return attach(text, PlanMeta(version=plan.version, gap=plan.gap, inputs=dict(plan.inputs)))


def render_json(plan: Plan) -> str:
    """The same plan as JSON: sorted keys, stable, ending with a newline."""
    return json.dumps(to_jsonable(plan), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
