"""A person's choices for one gap's plan, kept in ``construction/design/decisions/<slug>.yaml``.

The planner honours them on every run, so they survive regeneration::

    components:
      RateLimitMiddleware:
        stars: [API Gateway (Express), Redis Cache]   # which stars it integrates with
        file: src/middleware/limitStripeRate.ts       # replaces the proposed path
        signature: |                                  # replaces the proposed signature
          export async function limitStripeRateMiddleware(req, res, next): Promise<void>
    tests:
      SC1.2: enforces_stripe_rate_limit               # test named for a success criterion
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cgplan.errors import ConfigError
from cgplan.model.construction import Construction, Gap


@dataclass
class ComponentDecision:
    """Choices about one component."""

    stars: list[str] | None = None
    """Stars it integrates with (names as in the map; aliases allowed), or ``None`` to let cgplan choose."""
    file: str | None = None
    """The real file path, replacing the proposed one."""
    signature: str | None = None
    """The real signature, replacing the proposed one."""


@dataclass
class Decisions:
    """All choices for one gap."""

    components: dict[str, ComponentDecision] = field(default_factory=dict)
    """Component name -> its decisions."""
    tests: dict[str, str] = field(default_factory=dict)
    """Criterion id (``SC1.2``) -> name of the test that validates it."""

    def is_empty(self) -> bool:
        return not self.components and not self.tests


def decisions_path(construction: Construction, gap: Gap) -> Path:
    """``<construction>/design/decisions/<slug>.yaml``."""
    return construction.design_dir / "decisions" / f"{gap.slug}.yaml"


def load_decisions(construction: Construction, gap: Gap) -> Decisions:
    """The gap's decisions; empty if there is no file. Raises :class:`ConfigError` (file and line) if malformed."""
    path = decisions_path(construction, gap)
    if not path.is_file():
        return Decisions()
    display = construction.display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read decisions file: {exc}", file=display, hint="save it as UTF-8 YAML") from None
    return parse_decisions(text, display, construction, gap)


def parse_decisions(
    text: str, display: str, construction: Construction | None = None, gap: Gap | None = None
) -> Decisions:
    """Parse decisions YAML, checking names against the folder when given."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ConfigError(
            f"not valid YAML: {problem}", file=display, line=mark.line + 1 if mark else None, hint="fix the YAML syntax"
        ) from None
    d = Decisions()
    if root is None:
        return d
    top = _mapping(root, display, "the top level")
    components = set()
    criteria = set()
    if construction is not None and gap is not None:
        sk = construction.sketch_for(gap)
        components = {cp.name for cp in sk.components} if sk else set()
        criteria = {sc.id for sc in gap.success_criteria}
    for key, value in top:
        name = _scalar(key, display)
        if name == "components":
            for ck, cv in _mapping(value, display, "components"):
                cname = _scalar(ck, display)
                if components and cname not in components:
                    raise ConfigError(
                        f"no component {cname!r} in this gap's sketch",
                        file=display,
                        line=ck.start_mark.line + 1,
                        hint="use one of: " + ", ".join(sorted(components)),
                    )
                d.components[cname] = _component(cv, display, construction)
        elif name == "tests":
            for tk, tv in _mapping(value, display, "tests"):
                cid = _scalar(tk, display)
                if criteria and cid not in criteria:
                    raise ConfigError(
                        f"no success criterion {cid!r} in this gap",
                        file=display,
                        line=tk.start_mark.line + 1,
                        hint="use one of: " + ", ".join(sorted(criteria)),
                    )
                test = _scalar(tv, display)
                if not test.strip():
                    raise ConfigError(
                        f"empty test name for {cid}",
                        file=display,
                        line=tv.start_mark.line + 1,
                        hint="write the test's name",
                    )
                d.tests[cid] = test.strip()
        else:
            raise ConfigError(
                f"unknown key {name!r}", file=display, line=key.start_mark.line + 1, hint="use 'components' and 'tests'"
            )
    return d


def _component(node, display: str, construction: Construction | None) -> ComponentDecision:
    cd = ComponentDecision()
    for key, value in _mapping(node, display, "a component"):
        name = _scalar(key, display)
        if name == "stars":
            import yaml

            if not isinstance(value, yaml.SequenceNode):
                raise ConfigError(
                    "'stars' must be a list of star names",
                    file=display,
                    line=value.start_mark.line + 1,
                    hint="write stars: [Name, Other Name]",
                )
            stars = []
            for item in value.value:
                ref = _scalar(item, display)
                stars.append(_resolve_star(ref, item.start_mark.line + 1, display, construction))
            cd.stars = stars
        elif name in ("file", "signature"):
            setattr(cd, name, _scalar(value, display).rstrip("\n") or None)
        else:
            raise ConfigError(
                f"unknown component key {name!r}",
                file=display,
                line=key.start_mark.line + 1,
                hint="use stars, file or signature",
            )
    return cd


def _resolve_star(ref: str, line: int, display: str, construction: Construction | None) -> str:
    if construction is None:
        return ref
    from cgplan.load.stars import StarIndex

    res = StarIndex(construction.stars).resolve(ref)
    if res.star is None:
        hint = (
            ("could mean " + ", ".join(res.candidates))
            if res.candidates
            else "use a star name from constellation-map.md"
        )
        raise ConfigError(f"{ref!r} is not a star in the constellation map", file=display, line=line, hint=hint)
    return res.star


def _mapping(node, display: str, what: str):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(
            f"{what} must be a mapping of names to values",
            file=display,
            line=node.start_mark.line + 1,
            hint="see 'Decisions file' in README.md",
        )
    return node.value


def _scalar(node, display: str) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError(
            "expected a single value here",
            file=display,
            line=node.start_mark.line + 1,
            hint="see 'Decisions file' in README.md",
        )
    return str(node.value)


def dump_decisions(decisions: Decisions) -> str:
    """YAML text for decisions, keys in a stable order."""
    import yaml

    data: dict = {}
    if decisions.components:
        comps = {}
        for name in sorted(decisions.components):
            cd = decisions.components[name]
            entry = {
                k: v for k, v in (("stars", cd.stars), ("file", cd.file), ("signature", cd.signature)) if v is not None
            }
            comps[name] = entry
        data["components"] = comps
    if decisions.tests:
        data["tests"] = {k: decisions.tests[k] for k in sorted(decisions.tests, key=_criterion_key)}
    return (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
        if data
        else "{}\n"
    )


def _criterion_key(cid: str):
    import re

    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", cid)]
