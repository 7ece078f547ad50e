"""The planner's work, section by section: stars per component, integration points, constraints."""

from __future__ import annotations

import re

from cgplan.load.fields import norm_key
from cgplan.load.stars import StarIndex
from cgplan.model.construction import Component, Construction, Gap, Sketch, Star, StarRef
from cgplan.model.plan import Cited, ComponentPlan, Constraint, Flow, FlowEdge, Plan, StarUse
from cgplan.plan import naming as P
from cgplan.plan.decisions import Decisions
from cgplan.plan.failures import area_of, operations_of, performs
from cgplan.plan.flow import component_named, parse_flow, to_mermaid
from cgplan.plan.limits import criterion_threshold, figures_of, limit_kind, shared_figures, star_limits
from cgplan.plan.wording import code_identifiers, meanings, mentions, star_forms

_CONVENTION = re.compile(r"(?i)convention|naming|named|pattern|registered in|must use|always|never")


_IDENTIFIER = re.compile(r"`[^`]+`|\b\w+[_.]\w+(?:[_.]\w+)*\b")
"""Names of code in a note: code spans, snake_case and dotted names (``slot_holds``, ``appointments.status``)."""
_GENERIC_WORDS = frozenset(
    """with from into that this than then when each every only over under about after before more most less
    least same other their there them they what which while where your ours will would should could must
    does done make makes made uses used using call calls calling read reads write writes new old first last
    next time times data value values item items record records field fields list lists type types name names
    request requests response responses result results error errors message messages event events service
    services client clients server api apis http https json true false null none per via""".split()
)


def _content_words(text: str) -> set[str]:
    """The distinctive words of a text, singular, identifiers split (``slot_holds`` -> slot, hold)."""
    out = set()
    for word in re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()):
        if word.endswith("ies") and len(word) > 5:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        if len(word) >= 4 and word not in _GENERIC_WORDS:
            out.add(word)
    return out


def _words_and_numbers(text: str) -> set[str]:
    """The distinctive words of a text and its numbers of three digits or more (``409``)."""
    return _content_words(text) | set(re.findall(r"\b\d{3,}\b", text))


_SUFFIXES = (
    "ations",
    "ation",
    "ators",
    "ator",
    "ates",
    "ate",
    "ings",
    "ing",
    "ers",
    "er",
    "als",
    "al",
    "es",
    "ed",
    "s",
)


_WEAK_WORDS = _GENERIC_WORDS | frozenset(
    "take takes taking taken need needs have having keep keeps give gives gets without however many also".split()
)


def _stems(text: str) -> set[str]:
    """Rough stems of a text's distinctive words, so that ``composing`` meets ``ReminderComposer`` and
    ``selecting`` meets ``selects``; upper-case acronyms of two letters or more count (``SMS``)."""
    out = {word.lower() for word in re.findall(r"\b[A-Z]{2,}\b", text)}
    for word in re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower()):
        if len(word) < 4 or word in _WEAK_WORDS:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        out.add(word)
    return out


_VERB_STEMS = frozenset(stem for verb in P.VERBS for stem in _stems(verb))


def _detail(rest: str) -> str:
    """What a node's label adds to its name (``: queue (ZADD)`` -> ``queue (ZADD)``, `` (every 100 ms)`` ->
    ``every 100 ms``)."""
    rest = rest.strip().lstrip(":-—–").strip()
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1].strip()
    return rest


class Builder:
    """Fills a :class:`Plan` for one gap."""

    def __init__(
        self,
        construction: Construction,
        gap: Gap,
        sketch: Sketch | None,
        decisions: Decisions,
        index: StarIndex,
        plan: Plan,
    ):
        self.construction, self.gap, self.sketch, self.decisions, self.index, self.plan = (
            construction,
            gap,
            sketch,
            decisions,
            index,
            plan,
        )
        self.sk_cite = sketch.source.cite() if sketch else ""
        self.gap_cite = gap.source.cite()

    # ------------------------------------------------------------------ top level

    def build(self) -> None:
        from cgplan.plan.inputs import star_pool
        from cgplan.plan.testcases import build_tests

        c, gap, sk, plan = self.construction, self.gap, self.sketch, self.plan
        self.pool = star_pool(c, gap, self.decisions, self.index)
        self.written: dict[str, list[str]] = {}
        refs: list[StarRef] = [*gap.connects_to, *((st.ref for st in sk.stars) if sk else [])]
        for ref in refs:
            if ref.star:
                self.written.setdefault(ref.star, []).append(ref.text)
        self.forms = {name: star_forms(c.star(name), self.written.get(name, [])) for name in self.pool}  # type: ignore[arg-type]
        self.sketch_star = {st.ref.star: st for st in (sk.stars if sk else []) if st.ref.star}
        self.gap_via = {}
        for ref in gap.connects_to:
            if ref.star and ref.via and ref.star not in self.gap_via:
                self.gap_via[ref.star] = ref.via
        for ref in refs:
            if ref.star is None:
                where = "gap-analysis.md" if ref in gap.connects_to else "implementation-sketches.md"
                why = (
                    f"could mean {', '.join(ref.candidates)}"
                    if ref.candidates
                    else "matches no star in constellation-map.md"
                )
                plan.notes.append(
                    f"The reference {ref.text!r} ({where}, line {ref.source.line}) {why}; "
                    "it is left out of this plan until the name is fixed."
                )
        if sk is None:
            plan.notes.append(
                f"{gap.name!r} has no sketch in implementation-sketches.md; "
                "the single component below is proposed from the gap alone."
            )
        plan.missing_capability = (
            [Cited(gap.missing_capability, self.gap_cite, "Missing Capability")] if gap.missing_capability else []
        )
        if sk is not None and sk.core_decision:
            plan.core_decision = [Cited(sk.core_decision, self.sk_cite, "Core Design Decision")]
        if gap.reasons:
            plan.why = [Cited(reason.text, self.gap_cite, "Why This Gap Exists") for reason in gap.reasons]
        elif sk is not None and sk.why:
            plan.why = [Cited(sk.why, self.sk_cite, "Why This Gap Exists")]
        if sk is not None:
            plan.accepted_costs = [Cited(con.text, self.sk_cite, "Trade-offs") for con in sk.cons]
            for alternative in sk.alternatives:
                because = f" — rejected: {alternative.why_rejected}" if alternative.why_rejected else ""
                plan.do_not.append(Cited(f"{alternative.name}{because}", self.sk_cite, "Alternatives Considered"))
        names = tuple(component.name for component in sk.components) if sk else ()
        self.flow = parse_flow(sk.data_flow, names) if sk and sk.data_flow else parse_flow("")
        self.flow.cite = self.sk_cite
        plan.flow = self.flow
        comps = (
            list(sk.components)
            if sk and sk.components
            else [Component(P.pascal(gap.name), gap.missing_capability, gap.source.line)]
        )
        self.comp_names = [cp.name for cp in comps]
        self._direct: dict[str, set[str]] = {}
        self._distinct_note_words = self._note_words()
        self.node_star = {n: self._node_star(n) for n in self.flow.nodes}
        self.node_comp = {n: self._node_comp(n) for n in self.flow.nodes}
        # the gap's own stars and sketch first; else the stack the whole constellation shows
        plan.language = P.guess_language(self._language_texts()) or P.guess_language(self._constellation_texts())
        names = self.comp_names
        # the gap's input arrives from outside (a person, a page: a node that is neither a component nor a
        # star), perhaps through stars (``Support agent → API Gateway → RefundRequestController``), else from a star
        entries = self._reached_from_outside()
        if not entries:
            entries = [
                n
                for n in names
                if any(self.node_comp.get(e.dst) == n and not self.node_comp.get(e.src) for e in self.flow.edges)
            ]
        if not entries:
            entries = [n for n in names if not any(self.node_comp.get(e.dst) == n for e in self.flow.edges)][
                :1
            ] or names[:1]
        self.entry_names = entries
        for i, cp in enumerate(comps, start=1):
            plan.components.append(self.component(i, cp))
        self._assign_gap_io()
        self._assign_gap_constraints()
        for t in gap.integration_points.errors:
            if any(self.concerns(t.text, comp) for comp in plan.components):
                continue
            # no component or star is named: the components whose own words the clause shares
            # (``meters with under 30 days of history go to manual review`` -> the one that lists meters)
            cited = Cited(t.text, self.gap_cite, "Integration Points: Error handling")
            shaped = self.shaped_by(t.text) if len(plan.components) > 1 else []
            for comp in shaped:
                if comp.signatures:
                    comp.signatures[0].errors.insert(0, cited)
            if not shaped or not any(comp.signatures for comp in shaped):
                plan.gap_errors.append(cited)
        plan.notes += self._restated_differently()
        wired = {su.name for comp in plan.components for su in comp.stars}
        unwired = [ref.star for ref in gap.connects_to if ref.star and ref.star not in wired]
        unwired += [name for name in self.sketch_star if name not in wired]
        for name in dict.fromkeys(unwired):
            via = f" ({self.gap_via[name]})" if name in self.gap_via else ""
            plan.notes.append(
                f"{name} is a star of this gap{via}, but no component of the sketch names it: "
                "say which component integrates with it in the decisions file."
            )
        for comp in plan.components:
            for su in comp.stars:
                if su.name not in plan.stars:
                    plan.stars.append(su.name)
        for ref in gap.connects_to:
            if ref.star and ref.star not in plan.stars and c.star(ref.star) is not None:
                plan.stars.append(ref.star)
        for name in plan.stars:
            star = c.star(name)
            su = StarUse(name=name, cite=star.source.cite() if star else "")
            if name in self.gap_via:
                su.integration_point.append(Cited(self.gap_via[name], self.gap_cite, "Must Connect To"))
            plan.connects.append(su)
        plan.not_ready = self._not_ready(unwired)
        diagram = self._diagram()
        plan.mermaid = to_mermaid(diagram)
        if diagram.edges:
            shown = set(diagram.nodes)
            plan.not_in_flow = [name for name in [*self.comp_names, *plan.stars] if name not in shown]
        first_file = plan.components[0].file if plan.components else ""
        plan.test_file = P.test_file(gap.slug, plan.language, first_file)
        build_tests(self)

    def _restated_differently(self) -> list[str]:
        """Where the sketch restates a gap constraint or criterion with another figure of the same unit
        (the gap: ``Send at most 100 emails per minute``, the sketch: ``120 emails per minute``)."""
        if self.sketch is None:
            return []
        stated = [*self.gap.constraints, *self.gap.success_criteria]
        notes = []
        for t in self.sketch.constraints_gap:
            for clause in re.split(r";\s+", t.text):
                scored = [(len(_stems(clause) & _stems(s.text)), s) for s in stated]
                score, original = max(scored, key=lambda pair: pair[0], default=(0, None))
                if score < 2 or original is None:
                    continue
                ours = dict(f.split()[::-1] for f in figures_of(clause) if " " in f)
                theirs = dict(f.split()[::-1] for f in figures_of(original.text) if " " in f)
                if any(unit in theirs and theirs[unit] != number for unit, number in ours.items()):
                    notes.append(
                        f"The sketch restates the gap's {original.text!r} as {clause.strip()!r} "
                        f"(implementation-sketches.md, line {t.line}): confirm which figure the code follows."
                    )
        return notes

    def _reached_from_outside(self) -> list[str]:
        """The components the flow reaches first from its outside sources, passing through stars only."""
        outside = [
            node
            for node in self.flow.nodes
            if not self.node_comp.get(node)
            and not self.node_star.get(node)
            and not any(edge.dst == node for edge in self.flow.edges)
        ]
        seen, frontier, reached = set(outside), list(outside), []
        while frontier:
            node = frontier.pop(0)
            for edge in self.flow.edges:
                if edge.src != node or edge.dst in seen:
                    continue
                seen.add(edge.dst)
                component = self.node_comp.get(edge.dst)
                if component:
                    if component not in reached:
                        reached.append(component)
                else:
                    frontier.append(edge.dst)
        return [name for name in self.comp_names if name in reached]

    def concerns(self, text: str, comp: ComponentPlan) -> bool:
        """Whether a gap sentence (an error-handling clause) concerns a component: it names the component
        or one of the stars the component integrates with."""
        if any(self.star_mentioned(text, use.name) for use in comp.stars):
            return True
        return self._names_component(text, comp.name)

    def _first_word_among(self, star: str, words: set[str]) -> bool:
        """Whether ``words`` hold the first word, of four letters or more, of one of the star's names."""
        return any(len(form.split()[0]) >= 4 and form.split()[0] in words for form in self.forms.get(star, []))

    def _diagram(self) -> Flow:
        """The data flow with one node per component or star: a node written with details
        (``Redis Cache: ratelimit:stripe:queue (ZADD)``) becomes its component or star, and the details
        go onto the arrows into it (or out of it, for a node nothing points to)."""
        canonical: dict[str, str] = {}
        details: dict[str, str] = {}
        for label in self.flow.nodes:
            name = self.node_comp.get(label) or self.node_star.get(label) or self._star_named(label)
            canonical[label] = name or label
            if name and label != name:
                rest = label.replace(name, "", 1) if label.startswith(name) else label
                details[label] = _detail(rest) if rest != label else ""
        diagram = Flow()
        incoming = {edge.dst for edge in self.flow.edges}
        for edge in self.flow.edges:
            src, dst = canonical[edge.src], canonical[edge.dst]
            if src == dst:
                continue
            extra = details.get(edge.dst) or (details.get(edge.src) if edge.src not in incoming else "")
            label = "; ".join(part for part in (edge.label, extra) if part)
            for node in (src, dst):
                if node not in diagram.nodes:
                    diagram.nodes.append(node)
            if not any(e.src == src and e.dst == dst for e in diagram.edges):
                diagram.edges.append(FlowEdge(src, dst, label, both=edge.both))
        return diagram

    def _star_named(self, label: str) -> str | None:
        """The star a node's label starts with (``Datadog Monitoring (queue depth)``), if any."""
        head = re.split(r"\s*[:(]", label, maxsplit=1)[0]
        name = self.index.resolve(head).star
        return name if name in self.pool else None

    def _not_ready(self, unwired: list[str]) -> list[str]:
        """What keeps the plan from being handed to a code generator as it stands."""
        gap, sketch = self.gap, self.sketch
        reasons = []
        if sketch is None:
            reasons.append("the gap has no sketch")
        deferred = f"{gap.status} {gap.priority_note} {sketch.complexity if sketch else ''}"
        if re.search(r"(?i)\bdefer", deferred):
            reasons.append("the documents mark it deferred")
        refs = [*gap.connects_to, *((usage.ref for usage in sketch.stars) if sketch else [])]
        unknown = [ref.text for ref in refs if ref.star is None]
        if unknown:
            reasons.append(f"star names the map lacks ({', '.join(dict.fromkeys(unknown))})")
        vague = [sc.id for sc in gap.success_criteria if not criterion_threshold(sc.text)]
        if vague:
            reasons.append(f"criteria without a measurable threshold ({', '.join(vague)})")
        if unwired:
            reasons.append(f"gap stars no component uses ({', '.join(dict.fromkeys(unwired))})")
        return reasons

    def _note_words(self) -> dict[str, set[str]]:
        """Per star, the words of its usage note in the sketch that no other star's note, no star or component
        name and not the gap's name use: the data only that star holds (``slot_holds``, ``scan_events``)."""
        notes = {
            name: _stems(
                " ".join(
                    re.split(
                        r"[_.:/]",
                        " ".join(_IDENTIFIER.findall(usage.note)),
                    )
                )
            )
            for name, usage in self.sketch_star.items()
        }
        common = _stems(" ".join(self.pool))
        for name in self.pool:
            common |= {word for form in self.forms.get(name, []) for word in _stems(form)}
        out = {}
        for name, words in notes.items():
            others = set().union(*(w for other, w in notes.items() if other != name))
            out[name] = words - others - common
        return out

    def _constellation_texts(self) -> list[str]:
        texts = []
        for star in self.construction.stars:
            texts += [star.type, *(t.text for t in star.contracts.all()), *(t.text for t in star.assumptions)]
        return texts

    def _language_texts(self) -> list[str]:
        texts = []
        for name in self.pool:
            s = self.construction.star(name)
            if s is None:
                continue
            texts += [s.type, *(t.text for t in s.contracts.all()), *(t.text for t in s.assumptions)]
            texts += [b.info for b in s.contracts.code if b.info not in ("sql", "json", "yaml", "")]
        if self.sketch:
            texts += [self.sketch.core_decision, *(cp.description for cp in self.sketch.components)]
            texts += [f"{st.connection} {st.integration_point}" for st in self.sketch.stars]
        return texts

    def _node_star(self, label: str) -> str | None:
        name = self.index.resolve(label).star
        if name in self.pool and not self._node_comp(label):
            return name
        return None

    def _node_comp(self, label: str) -> str | None:
        return component_named(label, self.comp_names)

    # ------------------------------------------------------------------ one component

    def component(self, number: int, cp: Component) -> ComponentPlan:
        comp = ComponentPlan(number=number, name=cp.name, description=cp.description)
        if cp.description:
            comp.purpose.append(
                Cited(
                    cp.description,
                    self.sk_cite or self.gap_cite,
                    "Key Components" if self.sketch else "Missing Capability",
                )
            )
        cd = self.decisions.components.get(cp.name)
        if cd is not None and cd.stars is not None:
            names = [s for s in cd.stars if self.construction.star(s) is not None]
            comp.stars_decided = True
        else:
            names = self._related_stars(cp)
        comp.stars = [self._star_use(n) for n in names]
        stars = [self.construction.star(n) for n in names]
        kind = P.kind_of(cp.name, cp.description)
        texts = [cp.description, *(t.text for s in stars if s for t in (*s.contracts.all(), *s.assumptions))]
        if self.sketch:
            texts += [f"{st.connection} {st.integration_point}" for st in self.sketch.stars]
            texts.append(self.construction.constellation.seams)
        if cd is not None and cd.file:
            comp.file, comp.file_proposed = cd.file, False
        else:
            comp.file = P.propose_file(cp.name, kind, self.plan.language, texts)
        comp.file_purpose = cp.description or f"Implements {cp.name} for {self.gap.name}"
        for s in stars:
            if s is None:
                continue
            for t in s.contracts.dependencies[:3]:
                if not self.unused_area(s, t.text):
                    comp.imports.append(Cited(t.text, s.source.cite(), "Exposed Contracts"))
        self._flow_io(comp)
        self._constraints(comp, stars)
        from cgplan.plan.signatures import data_structures, signatures

        comp.signatures = signatures(self, comp, cp, kind, stars, cd)
        comp.data_structures = data_structures(self, comp, stars)
        return comp

    def _related_stars(self, component: Component) -> list[str]:
        """The stars a component integrates with, from its own text: the stars its description names, the
        star nodes an edge of the data flow joins to it, and the stars whose usage notes in the sketch name it
        (or the function its description names). Never a neighbour's stars, never all stars by default."""
        found: set[str] = set()
        data_words: set[str] = set()
        description = component.description
        name_key = norm_key(component.name).replace(" ", "")
        function = P.named_function(description)
        for name in self.pool:
            if mentions(description, self.forms[name]) or mentions(component.name, self.forms[name]):
                found.add(name)
        for edge in self.flow.edges:
            for here, there in ((edge.src, edge.dst), (edge.dst, edge.src)):
                if self.node_comp.get(here) == component.name and self.node_star.get(there):
                    found.add(self.node_star[there])  # type: ignore[arg-type]
        # names of code in the description, other components' names aside (a neighbour it hands data to)
        identifiers = code_identifiers(description) - {norm_key(name).replace(" ", "") for name in self.comp_names}
        for name in self.pool:
            usage = self.sketch_star.get(name)
            if usage is None:
                continue
            note = usage.note
            compact = norm_key(note).replace(" ", "")
            if name_key and name_key in compact or (function and function.lower() in note.lower()):
                found.add(name)
            if identifiers & code_identifiers(note):
                found.add(name)  # the note names what the component writes, reads or calls (`refund.completed`)
            if (_stems(description.split(" ", 1)[-1]) - _VERB_STEMS) & self._distinct_note_words.get(name, set()):
                data_words.add(name)  # the note names the data it works on (`slot_holds` for "deletes holds")
        # data a component upstream in the flow already reads from the star arrives through the flow, not the star
        upstream = self._upstream(component.name)
        found.update(
            name for name in data_words if not any(name in self._direct.get(other, set()) for other in upstream)
        )
        first_word = P.words(component.name)[0] if P.words(component.name) else ""
        found.update(name for name in self.pool if self._first_word_among(name, {first_word}))
        self._direct[component.name] = found - data_words
        return [name for name in self.pool if name in found]

    def _upstream(self, name: str) -> set[str]:
        """The components the data flow reaches ``name`` from, directly or through others."""
        seen: set[str] = set()
        frontier = [name]
        while frontier:
            here = frontier.pop()
            for edge in self.flow.edges:
                src, dst = self.node_comp.get(edge.src), self.node_comp.get(edge.dst)
                if dst == here and src and src != name and src not in seen:
                    seen.add(src)
                    frontier.append(src)
        return seen

    def _star_use(self, name: str) -> StarUse:
        star = self.construction.star(name)
        assert star is not None
        cite = star.source.cite()
        su = StarUse(name=name, cite=cite)
        st = self.sketch_star.get(name)
        if st and st.reuse:
            su.uses.append(Cited(st.reuse, self.sk_cite, "What we reuse"))
        if not su.uses:
            su.uses = [Cited(t.text, cite, "Exposed Contracts") for t in star.contracts.api[:2]] or [
                Cited(t.text, cite, "Exposed Contracts") for t in star.contracts.all()[:1]
            ]
        if st and st.connection:
            su.integration_point.append(Cited(st.connection, self.sk_cite, "Connection"))
        if st and st.integration_point:
            su.integration_point.append(Cited(st.integration_point, self.sk_cite, "Integration point"))
        if name in self.gap_via:
            su.integration_point.append(Cited(self.gap_via[name], self.gap_cite, "Must Connect To"))
        if not su.integration_point:
            su.integration_point = [Cited(t.text, cite, "Exposed Contracts") for t in star.contracts.dependencies[:1]]
        seen = set()
        for label, items in (
            ("Core Assumptions", star.assumptions),
            ("Exposed Contracts", star.contracts.all()),
            ("Scaling Model", star.scaling),
        ):
            for t in items:
                if self.unused_area(star, t.text):
                    continue
                if _CONVENTION.search(t.text) and t.text not in seen:
                    seen.add(t.text)
                    su.patterns.append(Cited(t.text, cite, label))
        for t in star.auth:
            if not self.unused_area(star, t.text):
                su.patterns.append(Cited(t.text, cite, "Authentication Pattern"))
        return su

    # ------------------------------------------------------------------ integration points

    def _flow_io(self, comp: ComponentPlan) -> None:
        for e in self.flow.edges:
            label = f" ({e.label})" if e.label else ""
            if self.node_comp.get(e.dst) == comp.name and self.node_comp.get(e.src) != comp.name:
                comp.inputs.append(Cited(f"{e.src} → {e.dst}{label}", self.sk_cite, "Data Flow"))
            if self.node_comp.get(e.src) == comp.name and self.node_comp.get(e.dst) != comp.name:
                target = self.node_star.get(e.dst)
                text = Cited(f"{e.src} → {e.dst}{label}", self.sk_cite, "Data Flow")
                if target and not self._star_in_outputs(target):
                    comp.side_effects.append(text)
                else:
                    comp.outputs.append(text)

    def is_entry(self, name: str) -> bool:
        """Whether the component receives from outside the gap (the gap's inputs reach it)."""
        return name in self.entry_names

    def _star_in_outputs(self, name: str) -> bool:
        return any(mentions(t.text, self.forms.get(name, [])) for t in self.gap.integration_points.output)

    def _assign_gap_io(self) -> None:
        comps = self.plan.components
        if not comps:
            return
        ip = self.gap.integration_points
        entries = [cp for cp in comps if self.is_entry(cp.name)]
        for t in ip.input:
            for cp in entries:
                cp.inputs.append(Cited(t.text, self.gap_cite, "Integration Points: Input"))
        for t in ip.output:
            hits = []
            for cp in comps:
                targets = [self.node_star.get(e.dst) for e in self.flow.edges if self.node_comp.get(e.src) == cp.name]
                if any(s and mentions(t.text, self.forms[s]) for s in targets):
                    hits.append(cp)
            if not hits:
                # the component whose own description speaks of what the output holds (``returns 409``)
                said = _words_and_numbers(t.text)
                scored = [(len(said & _words_and_numbers(cp.description)), cp) for cp in comps]
                best = max((score for score, _cp in scored), default=0)
                hits = [cp for score, cp in scored if best and score == best]
            for cp in hits or comps[-1:]:
                cp.outputs.append(Cited(t.text, self.gap_cite, "Integration Points: Output"))
        for t in ip.other:
            comps[0].side_effects.append(Cited(t.text, self.gap_cite, "Integration Points"))

    # ------------------------------------------------------------------ constraints

    def shaped_by(self, text: str) -> list[ComponentPlan]:
        """The components a sentence of the gap (a constraint, a criterion) concerns: those whose name,
        description or stars share its words and figures (``Send at most 4 SMS per second`` -> the sender whose
        description says ``4 SMS per second``); empty when it shares none with any component."""
        comps = self.plan.components
        if len(comps) == 1:
            return list(comps)
        # words most components share (``reminder`` in OverdueQuery, ReminderComposer, ReminderSender) tell none apart
        counts: dict[str, int] = {}
        for comp in comps:
            for stem in _stems(f"{comp.name} {comp.description}"):
                counts[stem] = counts.get(stem, 0) + 1
        common = {stem for stem, count in counts.items() if count * 2 > len(comps)}
        said, figures = _stems(text) - common, figures_of(text)
        scores = []
        for comp in comps:
            named = _stems(comp.name) - common
            described = _stems(comp.description) - common
            score = 2 * len(said & named) + len(said & (described - named))
            score += 2 * shared_figures(figures, figures_of(comp.description))
            score += 2 * sum(1 for use in comp.stars if mentions(text, self.forms.get(use.name, [])))
            scores.append(score)
        best = max(scores, default=0)
        floor = max(2, (best + 1) // 2) if best >= 2 else best
        return [comp for comp, score in zip(comps, scores, strict=True) if best and score >= floor]

    def _assign_gap_constraints(self) -> None:
        """Each gap constraint goes to the components it shapes; one that concerns no component stays in the
        Overview as a whole-gap constraint."""
        for t in self.gap.constraints:
            constraint = Constraint(t.text, self.gap_cite, "gap", kind=limit_kind(t.text))
            shaped = self.shaped_by(t.text)
            if not shaped:
                self.plan.gap_constraints.append(Cited(t.text, self.gap_cite, "Constraints That Must Shape It"))
            for comp in shaped:
                comp.constraints_gap.append(constraint)
        for t in self.sketch.constraints_constellation if self.sketch else []:
            # a design decision of the sketch (``ReminderSender paces at 90 per minute``): under the components
            # it names, else those its words and stars point to
            named = [comp for comp in self.plan.components if self._names_component(t.text, comp.name)]
            for comp in named or self.shaped_by(t.text):
                star = next((use.name for use in comp.stars if self.star_mentioned(t.text, use.name)), "")
                comp.constraints_star.append(
                    Constraint(
                        t.text, self.sk_cite, "sketch", star=star, label="From Constellation", kind=limit_kind(t.text)
                    )
                )
        for comp in self.plan.components:
            comp.meanings = meanings([*comp.constraints_gap, *comp.constraints_star])

    def in_scope(self, bullet: str, comp: ComponentPlan | None = None, star: str = "") -> bool:
        """Whether a star's Error Handling bullet concerns what this gap does with the star: a bullet about an
        area of the star (``Webhooks: ...``) that neither the gap nor its sketch mentions is out of scope, and
        so is a failure of an operation the component does not perform: writes (``Writes to compressed chunks
        fail``) for one that only reads, sending for an inbound webhook, a consumer's visibility timeout for one
        that only publishes."""
        if comp is not None and not all(self._performs(comp, op, star) for op in operations_of(bullet)):
            return False
        area = area_of(bullet)
        return not area or bool(_stems(area) & self._context())

    def unused_area(self, star: Star | None, text: str) -> bool:
        """Whether a fact of a star speaks of one of the star's areas (the leads of its Error Handling bullets,
        ``Webhooks``) that this gap does not use: ``Webhooks carry a Stripe-Signature header`` for a gap that
        only calls the API."""
        if star is None:
            return False
        areas = set()
        for bullet in star.errors:
            area = area_of(bullet.text)
            if area:
                areas |= _stems(area)
        unused = areas - self._context()
        return bool(unused and unused & _stems(text))

    def _context(self) -> set[str]:
        """The stems of everything the gap and its sketch say (what the gap uses of its stars)."""
        if not hasattr(self, "_context_stems"):
            gap, sketch = self.gap, self.sketch
            texts = [gap.name, gap.missing_capability, gap.why, *(t.text for t in gap.constraints)]
            texts += [t.text for t in (*gap.integration_points.input, *gap.integration_points.output)]
            texts += [t.text for t in gap.integration_points.errors] + [sc.text for sc in gap.success_criteria]
            texts += [ref.text + " " + (ref.via or "") for ref in gap.connects_to]
            if sketch is not None:
                texts += [sketch.core_decision, sketch.data_flow, *(cp.description for cp in sketch.components)]
                texts += [st.note for st in sketch.stars]
                texts += [t.text for t in sketch.constraints_constellation]
            self._context_stems = _stems(" ".join(texts))
        return self._context_stems

    def _star_names(self, comp: ComponentPlan) -> tuple[str, ...]:
        """The names its stars go by (left out of its text before looking for what it does)."""
        return tuple(form for use in comp.stars for form in self.forms.get(use.name, []))

    def _performs(self, comp: ComponentPlan, operation: str, star: str) -> bool:
        """Whether the component performs the operation (see :func:`~cgplan.plan.failures.operations_of`): the
        data flow says so (an arrow into a star writes and sends, an arrow from the star brings what it
        consumes), or its own text, its stars' usage notes and, for writes, its flow labels do."""
        texts = [comp.description]
        for use in comp.stars:
            usage = self.sketch_star.get(use.name)
            if usage is not None:
                texts.append(usage.note)
        if operation == "consume":
            by_flow = any(
                self.node_comp.get(edge.dst) == comp.name and star and self.node_star.get(edge.src) == star
                for edge in self.flow.edges
            )
        else:
            by_flow = any(
                self.node_comp.get(edge.src) == comp.name and self.node_star.get(edge.dst) for edge in self.flow.edges
            )
        if operation == "write":
            texts += [edge.label for edge in self.flow.edges if comp.name in (edge.src, edge.dst)]
        return by_flow or performs(operation, " ".join(texts), self._star_names(comp))

    def _names_component(self, text: str, name: str) -> bool:
        key = norm_key(name).replace(" ", "")
        return bool(key) and key in norm_key(text).replace(" ", "")

    def star_mentioned(self, text: str, star: str) -> bool:
        """Whether a text names the star, by one of its names or by its first word (``SendGrid`` for SendGrid
        Email API)."""
        return mentions(text, self.forms.get(star, [])) or self._first_word_among(star, set(norm_key(text).split()))

    def _constraints(self, comp: ComponentPlan, stars: list[Star | None]) -> None:
        for s in stars:
            if s is None:
                continue
            for label, t, k in star_limits(s):
                if self.unused_area(s, t.text):
                    continue  # a limit of an area of the star the gap does not use (its webhooks)
                comp.constraints_star.append(
                    Constraint(t.text, s.source.cite(), "star", star=s.name, label=label, kind=k)
                )
