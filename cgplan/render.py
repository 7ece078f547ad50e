"""Render a :class:`~cgplan.plan_model.Plan` as Markdown (seed format, via a Jinja2 template) or JSON.

Document text reaches the template only as data, so a name such as
``{{ 7*7 }}`` comes out literally. The Markdown ends with the ``cgplan:meta``
line (:mod:`cgplan.meta`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from .meta import PlanMeta, attach
from .models import to_jsonable
from .plan_model import Plan

_MD_SPECIAL = re.compile(r"([\\*]|<(?=[A-Za-z/!?]))")


def md(text: object) -> str:
    """Inline document text made safe for Markdown: ``<`` and ``*`` escaped, one line."""
    return _md(str(text))


@lru_cache(maxsize=65536)
def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_RAW_TAG = re.compile(r"(?<!\\)<(?=[A-Za-z/!?])")


def no_raw_html(text: str) -> str:
    """Escape every ``<`` that could open an HTML tag outside code.

    Document text reaches the plan in many places (names, citations of section
    titles); whatever path it took, the rendered plan never carries live HTML,
    so a title like ``<script>`` shows as text in any Markdown preview.
    """
    out: list[str] = []
    fence_mark = ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence_mark:
            if m and m.group(1)[0] == fence_mark[0] and len(m.group(1)) >= len(fence_mark) and not line.strip().strip(fence_mark[0]):
                fence_mark = ""
            out.append(line)
            continue
        if m:
            fence_mark = m.group(1)
            out.append(line)
            continue
        if "<" not in line:
            out.append(line)
            continue
        parts, last = [], 0
        for span in _CODE_SPAN.finditer(line):
            parts.append(_RAW_TAG.sub(r"\\<", line[last : span.start()]))
            parts.append(span.group(0))
            last = span.end()
        parts.append(_RAW_TAG.sub(r"\\<", line[last:]))
        out.append("".join(parts))
    return "\n".join(out)


def fence(code: str, info: str = "") -> str:
    """A fenced code block long enough never to be closed by the code itself."""
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    tick = "`" * max(3, longest + 1)
    return f"{tick}{info}\n{code.rstrip()}\n{tick}"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("cgplan", "templates"),
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
    lines.append(f"Constraints: {plan.gap_cite}, Constraints That Must Shape It; and each star's limits listed in this plan")
    return "\n".join(lines)


def render_markdown(plan: Plan) -> str:
    """The plan as Markdown in the seed's format, ending with the meta line."""
    star_cites = {su.name: su.cite for su in plan.connects}
    for comp in plan.components:
        for su in comp.stars:
            star_cites.setdefault(su.name, su.cite)
    overview = [{"name": su.name, "cite": su.cite, "via": su.integration_point[0].text if su.integration_point else ""} for su in plan.connects]
    from .plan_view import build_view

    views = build_view(plan)
    text = _template().render(p=plan, views=views, overview_stars=overview, star_cites=star_cites, context_block=_context_block(plan))
    text = no_raw_html(re.sub(r"\n{3,}", "\n\n", text))
    return attach(text, PlanMeta(version=plan.version, gap=plan.gap, inputs=dict(plan.inputs)))


def render_json(plan: Plan) -> str:
    """The same plan as JSON: sorted keys, stable, ending with a newline."""
    return json.dumps(to_jsonable(plan), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
