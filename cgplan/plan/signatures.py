"""Signatures and data structures of one component: decided, or proposed from the stars' conventions."""

from __future__ import annotations

import re

from cgplan.model.construction import Star
from cgplan.model.plan import Cited, ComponentPlan, DataStructure, Signature
from cgplan.plan import naming as P
from cgplan.plan.failures import is_failure
from cgplan.plan.wording import brief

_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/[\w/:{}.\-]*)")
_METHOD = re.compile(r"(?<![/\w.])([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)+)(?![\w/])")
_CADENCE = re.compile(r"(?i)every\s+\d+\s*\w+|\bhourly\b|\bnightly\b|\bdaily\b|\bweekly\b|\b\d{1,2}:\d{2}\s*UTC\b")
_BRACES = re.compile(r"([A-Za-z][\w ]{0,40}?)?[\"':\s]*\{([^{}]{1,300})\}")
_COLUMNS = re.compile(
    r"(?i)\b(?:table|record|row|message|event|envelope|payload|document|type)\s+`?([A-Za-z_][\w.]*)`?\s*\(([^()]{3,200})\)"
)
"""A table or record named with its columns in parentheses."""
_FILE_EXT = {"ts", "js", "py", "md", "go", "rb", "java", "json", "yaml", "yml", "sql", "cs", "tsx", "jsx"}


def short(label: str) -> str:
    """A node or star label without its parenthetical or ``: detail`` (``Redis Cache``)."""
    label = re.sub(r"\s*\([^()]*\)", "", label)
    return label.split(":", 1)[0].strip() or label


def _handle(star: Star, builder=None) -> str:
    """The name a star's client goes by (``redis`` from ``ioredis client on app.locals.redis``)."""
    found = []
    texts = [t.text for t in star.contracts.dependencies + star.contracts.other]
    st = builder.sketch_star.get(star.name) if builder is not None else None
    if st is not None:
        texts = [st.connection, st.integration_point, *texts]
    for t in texts:
        found += re.findall(r"\b(?:on|from)\s+`?[\w.]*\.(\w+)`?", t)
    name_words = P.words(short(star.name)) + [w for a in star.aliases for w in P.words(a)]
    for h in found:
        if any(w.startswith(h.lower()) or h.lower().startswith(w) for w in name_words if len(w) >= 2):
            return h
    if len(found) == 1:
        return found[0]
    # a product name is one word (``SendGrid`` -> ``sendgrid``, not ``send`` + ``grid``)
    words = [re.sub(r"\W", "", w).lower() for w in short(star.name).split()]
    words = [w for w in words if w] or P.words(short(star.name))
    return words[0] + "".join(w.capitalize() for w in words[1:])


def _verb(name: str, description: str = "") -> str:
    """A function name for a component from its name's agent noun, in whole words: ``ExcursionHistoryWriter``
    -> ``writeExcursionHistory`` (the verb as its description writes it, else from a fixed list), else the
    component's name in camelCase."""
    w = P.words(name)
    last = w[-1]
    verb = AGENT_VERBS.get(last) or _verb_in(last, description)
    if verb and len(w) > 1:
        return verb + "".join(x.capitalize() for x in w[:-1])
    return P.camel(name)


def _verb_in(agent: str, description: str) -> str:
    """The base form of the verb in ``description`` that ``agent`` (``mapper``) is made from (``maps`` -> ``map``)."""
    if not agent.endswith(("er", "or")) or len(agent) < 5:
        return ""
    stem = agent[:-2]
    stems = {stem, stem[:-1]} if len(stem) > 3 and stem[-1] == stem[-2] else {stem}
    for word in re.findall(r"[a-z]+", description.lower()):
        if any(word.startswith(s) for s in stems) and word not in (agent, agent + "s"):
            for suffix, base in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"), ("xes", "x"), ("s", "")):
                if word.endswith(suffix) and len(word) - len(suffix) >= len(min(stems, key=len)):
                    return word[: -len(suffix)] + base
            return word if word in P.VERBS else ""
    return ""


AGENT_VERBS = {
    "writer": "write", "reader": "read", "sender": "send", "trigger": "trigger", "mapper": "map", "issuer": "issue",
    "handler": "handle", "scheduler": "schedule", "publisher": "publish", "consumer": "consume", "builder": "build",
    "checker": "check", "validator": "validate", "evaluator": "evaluate", "executor": "execute", "sweeper": "sweep",
    "poller": "poll", "composer": "compose", "recorder": "record", "limiter": "limit", "loader": "load",
    "parser": "parse", "resolver": "resolve", "notifier": "notify", "dispatcher": "dispatch", "collector": "collect",
    "reconciler": "reconcile", "importer": "import", "exporter": "export", "syncer": "sync", "router": "route",
    "signer": "sign", "verifier": "verify", "tracker": "track", "renderer": "render", "fetcher": "fetch",
    "processor": "process", "generator": "generate", "emitter": "emit", "receiver": "receive", "cleaner": "clean",
    "archiver": "archive", "indexer": "index", "matcher": "match", "filterer": "filter", "scorer": "score",
    "transformer": "transform", "converter": "convert", "enricher": "enrich", "aggregator": "aggregate",
    "allocator": "allocate", "approver": "approve", "canceller": "cancel", "releaser": "release",
    "reporter": "report", "registrar": "register", "calculator": "calculate", "drainer": "drain",
}  # fmt: skip


def _stars_text(stars: list[Star]) -> str:
    return (
        " ".join(t.text for s in stars for t in (*s.assumptions, *s.contracts.all(), *s.errors))
        + " "
        + " ".join(s.type for s in stars)
    )


_NAMING = r"(?i)naming|\bnamed\b|convention|prefix|namespace"
_ERROR_PATTERN = r"(?i)\berrors?\b.*\b(?:as|always|format|shape)\b|pattern|^recovery|fail (?:open|closed)"


def _patterns(used: list[Star]) -> list[Cited]:
    """Naming, auth and error conventions of the stars, one short excerpt per star and label."""
    out: list[Cited] = []
    for label, pick in (
        ("Naming", _naming),
        ("Auth", lambda s: [t.text for t in s.auth][:1]),
        ("Errors", _error_pattern),
    ):
        for s in used:
            for text in pick(s)[:1]:
                n = len(text.split())
                words = (
                    min(7, n - 1) if n >= 4 else 7
                )  # an excerpt, never the whole entry (that is under Stars / Error Handling)
                out.append(
                    Cited(
                        brief(
                            text,
                            words,
                            _NAMING if label == "Naming" else r"(?i)error|fail" if label == "Errors" else "",
                        ),
                        s.source.cite(),
                        label,
                    )
                )
    return out


def _naming(star: Star) -> list[str]:
    return [t.text for t in (*star.assumptions, *star.contracts.all(), *star.scaling) if re.search(_NAMING, t.text)]


def _error_pattern(star: Star) -> list[str]:
    return [t.text for t in (*star.contracts.all(), *star.errors) if re.search(_ERROR_PATTERN, t.text)]


def _steps(builder, comp: ComponentPlan) -> list[str]:
    """The approach: what arrives along the data flow (where the flow names it), the actions the component's
    own description names (``validates input, creates the request, and auto-approves below $500``: three
    steps), then what it hands on along the flow."""
    steps = [" ".join(clause.split()).strip(" .") for clause in _top_level_clauses(comp.description)]
    if any(len(step.split()) < 3 for step in steps):
        steps = [" ".join(comp.description.split()).strip(" .")]  # a list of figures or nouns, not of actions
    steps = [step[:1].upper() + step[1:] for step in steps if step]
    received, handed = [], []
    for edge in builder.flow.edges:
        if not edge.label:
            continue
        if builder.node_comp.get(edge.dst) == comp.name and builder.node_comp.get(edge.src) != comp.name:
            received.append(f"Receive {edge.label} from {edge.src}")
        elif builder.node_comp.get(edge.src) == comp.name and builder.node_comp.get(edge.dst) != comp.name:
            if builder.node_comp.get(edge.dst):
                handed.append(f"Hand {edge.label} to {edge.dst}")
            else:
                handed.append(f"Send to {edge.dst} ({edge.label})")
    return [*received, *steps, *handed]


def _top_level_clauses(text: str) -> list[str]:
    """``text`` split at ``;``, ``, and``, ``, then`` outside parentheses and brackets."""
    clauses, depth, start = [], 0, 0
    for m in re.finditer(r"[()\[\]]|;\s*|,\s*(?:and|then)\s+|\s+and then\s+", text):
        token = m.group(0)
        if token in "([":
            depth += 1
        elif token in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            clauses.append(text[start : m.start()])
            start = m.end()
    clauses.append(text[start:])
    return [clause for clause in clauses if clause.strip()]


def signatures(
    builder, comp: ComponentPlan, component, kind: str, stars: list[Star | None], component_decision
) -> list[Signature]:
    """The component's functions / classes."""
    lang = builder.plan.language
    used = [s for s in stars if s is not None]
    errors = [
        Cited(t.text, builder.gap_cite, "Integration Points: Error handling")
        for t in builder.gap.integration_points.errors
        if builder.concerns(t.text, comp)
    ]
    for s in used:
        for t in s.errors:
            # failures and error conventions; backups, alerting, logging and success notes are no error handling
            wanted = (is_failure(t.text) and builder.in_scope(t.text, comp, s.name)) or re.search(
                _ERROR_PATTERN, t.text
            )
            if wanted and all(t.text != e.text for e in errors):
                errors.append(Cited(t.text, s.source.cite(), "Error Handling"))
    patterns = _patterns(used)
    steps = _steps(builder, comp)
    purpose = ""  # the component's Purpose above says it
    if component_decision is not None and component_decision.signature:
        m = re.search(r"\b(?:function|def|class|func|interface|struct)\s+(\w+)", component_decision.signature)
        is_class = bool(re.search(r"\bclass\b", component_decision.signature))
        return [
            Signature(
                "class" if is_class else "function",
                m.group(1) if m else component.name,
                purpose,
                lang,
                component_decision.signature,
                False,
                steps,
                errors,
                patterns,
            )
        ]
    text = _stars_text(used) + " " + component.description
    fields = [(_handle(s, builder), f"{P.pascal(short(s.name))}Client", f"from {s.name}") for s in used]
    if kind == "middleware":
        fn = P.named_function(component.description) or P.camel(component.name)
        chain = next(
            (
                s.name
                for s in used
                if re.search(
                    r"(?i)middleware",
                    " ".join(t.text for t in (*s.assumptions, *s.contracts.all(), *s.errors)) + s.type,
                )
            ),
            "",
        )
        note = f"{chain} middleware chain" if chain else "request pipeline"
        if lang == "typescript" and re.search(r"(?i)express", text):
            params = [
                ("req", "Request", f"Express types ({note})"),
                ("res", "Response", "Express types"),
                ("next", "NextFunction", "Express middleware pattern"),
            ]
            ret = ("Promise<void>", f"async per {chain or 'gateway'} convention")
        elif lang == "python":
            params = [
                ("request", "Request", note),
                ("call_next", "Callable[[Request], Awaitable[Response]]", "next handler in the chain"),
            ]
            ret = ("Response", "")
        else:
            params = [
                ("request", "Request", note),
                ("response", "Response", ""),
                ("next", "Next", "continue the chain"),
            ]
            ret = ("void", "")
        code = P.function_signature(fn, params, ret, lang)
        return [Signature("function", fn, purpose, lang, code, True, steps, errors, patterns)]
    if kind == "client":
        methods = []
        for su in comp.stars:
            for ip in su.integration_point:
                for m in _METHOD.findall(ip.text):
                    parts = m.split(".")
                    if parts[-1] in _FILE_EXT or len(parts) > 3:
                        continue
                    meth = parts[-1] + "".join(x[:1].upper() + x[1:] for x in parts[:-1])
                    if all(meth != x[0] for x in methods):
                        methods.append((meth, "params", f"wraps {m} of {su.name}"))
        if not methods:
            methods = [("call", "request", f"the one way {component.name} reaches its star")]
        code = P.class_signature(P.pascal(component.name), fields, methods, lang)
        return [Signature("class", P.pascal(component.name), purpose, lang, code, True, steps, errors, patterns)]
    if kind == "worker":
        cadence = _CADENCE.search(component.description)
        run_note = f"runs {cadence.group(0)} (per the sketch)" if cadence else "one pass over pending work"
        methods = [
            ("start", "", "begin the loop"),
            ("stop", "", "finish the current pass, then exit"),
            ("runOnce", "", run_note),
        ]
        code = P.class_signature(P.pascal(component.name), fields, methods, lang)
        return [Signature("class", P.pascal(component.name), purpose, lang, code, True, steps, errors, patterns)]
    if kind == "controller":
        routes: list[tuple[str, str]] = []
        sources = [
            component.description,
            *(ip.text for su in comp.stars for ip in su.integration_point),
            *(t.text for t in builder.gap.integration_points.input),
        ]
        sources += [v for v in builder.gap_via.values()]
        for t in sources:
            for verb, path in _ROUTE.findall(t):
                if (verb, path) not in routes:
                    routes.append((verb, path))
        methods = []
        for verb, path in routes:
            words = [w for w in re.split(r"[/:{}.\-]+", path) if w and not re.fullmatch(r"v\d+|id", w)]
            meth = "handle" + verb.capitalize() + "".join(w.capitalize() for w in words)
            methods.append((meth, "req, res", f"{verb} {path}"))
        if not methods:
            methods = [("handle", "req, res", "the route this component serves")]
        code = P.class_signature(P.pascal(component.name), fields, methods, lang)
        return [Signature("class", P.pascal(component.name), purpose, lang, code, True, steps, errors, patterns)]
    fn = P.named_function(component.description) or _verb(component.name, component.description)
    if lang == "python":
        fn = P.snake(fn)  # the language's convention: overdue_query, not overdueQuery
    params = []
    ins = [e for e in builder.flow.edges if builder.node_comp.get(e.dst) == comp.name and e.src != e.dst]
    ins = [e for e in ins if builder.node_comp.get(e.src) != comp.name]
    triggers = {star.name for star in used if _starts(builder, star.name, comp.name)}
    # what arrives: from a component or from outside, or from a star that delivers to it (a webhook, a queue);
    # a store it reads is reached through its client below, a scheduler that starts it hands over nothing
    ins = [
        e for e in ins if not builder.node_star.get(e.src) or e.label or _delivers(builder, builder.node_star[e.src])
    ]
    ins = [e for e in ins if builder.node_star.get(e.src) not in triggers]
    if ins:
        edge = ins[0]
        params.append(
            (_data_name(edge.label), "", f"what {edge.src} hands over" + (f": {edge.label}" if edge.label else ""))
        )
    for star in used:
        if star.name not in triggers:  # a scheduler that starts the component is no client it calls
            params.append((_handle(star, builder), "", f"the {star.name} client"))
    pure = bool(re.search(r"(?i)\bpure\b|\bno i/o\b", component.description))
    # what it hands to the next component along the flow is what it returns; writes to stars return nothing
    onward = [
        e
        for e in builder.flow.edges
        if builder.node_comp.get(e.src) == comp.name and builder.node_comp.get(e.dst) not in (None, comp.name)
    ]
    if onward:
        what = onward[0].label or "its result"
        ret_note = f"returns {what}, for {', '.join(dict.fromkeys(e.dst for e in onward))}"
        ret = {"python": "", "go": "(any, error)", "java": "Object", "csharp": "Task<object>"}.get(
            lang, ("unknown" if pure else "Promise<unknown>") if lang == "typescript" else ""
        )
    else:
        outs = [o.text.split(" → ")[-1] for o in comp.outputs + comp.side_effects if o.label == "Data Flow"]
        ret_note = ("sends to " + ", ".join(outs)) if outs else ""
        ret = {"python": "None", "go": "error", "java": "void", "csharp": "Task"}.get(
            lang, ("void" if pure else "Promise<void>") if lang == "typescript" else "void"
        )
    code = P.function_signature(fn, params, (ret, ret_note), lang, is_async=not pure)
    return [Signature("function", fn, purpose, lang, code, True, steps, errors, patterns)]


_DATA_STOP = re.compile(r"(?i)\s+(?:due|per|before|after|for|from|to|of|with|by|in|on|at|as|that|which|when|if)\b.*$")


def _data_name(label: str) -> str:
    """A parameter name for what arrives along a flow edge, from its label's leading noun phrase
    (``loans due before today`` -> ``loans``, ``reminder text per patron`` -> ``reminder_text``)."""
    head = _DATA_STOP.sub("", label.strip().strip("`'\"")) if label else ""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", head)[:3]
    if not words or len(head) > 40:
        return "data"
    return "_".join(w.lower() for w in words)


def _delivers(builder, star: str) -> bool:
    """Whether the sketch says the star delivers to the component (it receives a webhook, consumes a queue)."""
    usage = builder.sketch_star.get(star)
    note = usage.note if usage else ""
    return bool(re.search(r"(?i)\breceiv|webhook|\bconsum|subscrib|\bdeliver|\bpush", note))


def _starts(builder, star: str, component: str) -> bool:
    """Whether the sketch says the star starts, triggers or schedules the component (a cron job, a scheduler)."""
    usage = builder.sketch_star.get(star)
    if usage is None:
        return False
    note = usage.note
    return bool(
        re.search(rf"(?i)\b(?:starts|triggers|invokes|schedules|launches|kicks off)\s+`?{re.escape(component)}", note)
    )


def data_structures(builder, comp: ComponentPlan, stars: list[Star | None]) -> list[DataStructure]:
    """Types: documented schemas of the stars (quoted), and proposed ones built from named fields."""
    lang = builder.plan.language
    used = [s for s in stars if s is not None]
    out: list[DataStructure] = []
    sources: list[tuple[str, Cited]] = []
    if any(i.label.startswith("Integration Points") for i in comp.inputs) or builder.is_entry(comp.name):
        sources += [
            ("", Cited(t.text, builder.gap_cite, "Integration Points: Input"))
            for t in builder.gap.integration_points.input
        ]
    for s in used:
        sources += [(short(s.name), Cited(t.text, s.source.cite(), "Exposed Contracts")) for t in s.contracts.schema]
    seen: set[str] = set()
    for prefix, cited in sources:
        for m in _BRACES.finditer(cited.text):
            names = [n for n in re.findall(r"\"?([A-Za-z_][\w]*)\"?", m.group(2))]
            if not names or len(names) > 20:
                continue
            words = [
                w
                for w in (m.group(1) or "").split()
                if w.lower() not in ("json", "a", "an", "the", "as", "object", "body", "always", "errors")
            ][-2:]
            base = P.pascal(" ".join(words)) if words else "Payload"
            name = (
                (P.pascal(prefix) + base) if prefix and not base.lower().startswith(P.pascal(prefix).lower()) else base
            )
            if name in seen:
                continue
            seen.add(name)
            fields = [(n, P.field_type(n, lang), f"named in {cited.cite}") for n in dict.fromkeys(names)]
            out.append(DataStructure(name, lang, P.struct(name, fields, lang), True, [cited]))
    # a table or record the sketch or the gap names with its columns: ``new table reminder_preferences
    # (patron_id, channel, updated_at)``
    named: list[Cited] = [Cited(comp.description, builder.sk_cite or builder.gap_cite, "Key Components")]
    for use in comp.stars:
        usage = builder.sketch_star.get(use.name)
        if usage is not None:
            named += [
                Cited(t, builder.sk_cite, "Integration point") for t in (usage.integration_point, usage.connection)
            ]
        if use.name in builder.gap_via:
            named.append(Cited(builder.gap_via[use.name], builder.gap_cite, "Must Connect To"))
    for cited in named:
        for m in _COLUMNS.finditer(cited.text or ""):
            columns = [c.strip(" `") for c in re.split(r"\s*,\s*", m.group(2))]
            if len(columns) < 2 or not all(re.fullmatch(r"[A-Za-z_]\w*", c) for c in columns):
                continue
            name = P.pascal(m.group(1))
            if name in seen:
                continue
            seen.add(name)
            fields = [(c, P.field_type(c, lang), f"named in {cited.cite}") for c in dict.fromkeys(columns)]
            out.append(DataStructure(name, lang, P.struct(name, fields, lang), True, [cited]))
    for s in used:
        for blk in s.contracts.code:
            out.append(
                DataStructure(
                    f"{short(s.name)} schema",
                    blk.info,
                    blk.code.rstrip("\n"),
                    False,
                    [Cited("documented schema", s.source.cite(), "Exposed Contracts")],
                )
            )
    return out
