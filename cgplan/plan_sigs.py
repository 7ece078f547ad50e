"""Signatures and data structures of one component: decided, or proposed from the stars' conventions."""

from __future__ import annotations

import re

from . import propose as P
from .models import Star
from .plan_model import Cited, ComponentPlan, DataStructure, Signature

_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE)\s+`?(/[\w/:{}.\-]*)")
_METHOD = re.compile(r"(?<![/\w.])([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)+)(?![\w/])")
_CADENCE = re.compile(r"(?i)every\s+\d+\s*\w+|\bhourly\b|\bnightly\b|\bdaily\b|\bweekly\b|\b\d{1,2}:\d{2}\s*UTC\b")
_BRACES = re.compile(r"([A-Za-z][\w ]{0,40}?)?[\"':\s]*\{([^{}]{1,300})\}")
_FILE_EXT = {"ts", "js", "py", "md", "go", "rb", "java", "json", "yaml", "yml", "sql", "cs", "tsx", "jsx"}
_VERBS = [("utor", "ute"), ("ler", "le"), ("ifier", "ify"), ("izer", "ize"), ("iser", "ise"), ("ator", "ate"), ("cher", "ch"), ("ser", "se"), ("ver", "ve"), ("or", ""), ("er", "")]


def short(label: str) -> str:
    """A node or star label without its parenthetical or ``: detail`` (``Redis Cache``)."""
    label = re.sub(r"\s*\([^()]*\)", "", label)
    return label.split(":", 1)[0].strip() or label


def _handle(star: Star, b=None) -> str:
    """The name a star's client goes by (``redis`` from ``ioredis client on app.locals.redis``)."""
    found = []
    texts = [t.text for t in star.contracts.dependencies + star.contracts.other]
    st = b.sketch_star.get(star.name) if b is not None else None
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
    return P.camel(short(star.name))


def _verb(name: str) -> str:
    w = P.words(name)
    last = w[-1]
    for suffix, repl in _VERBS:
        if last.endswith(suffix) and len(last) > len(suffix) + 2:
            verb = last[: -len(suffix)] + repl
            return verb + "".join(x.capitalize() for x in w[:-1])
    return P.camel(name)


def _stars_text(stars: list[Star]) -> str:
    return " ".join(t.text for s in stars for t in (*s.assumptions, *s.contracts.all(), *s.errors)) + " " + " ".join(s.type for s in stars)


def signatures(b, comp: ComponentPlan, cp, kind: str, stars: list[Star | None], cd) -> list[Signature]:
    """The component's functions / classes."""
    lang = b.plan.language
    used = [s for s in stars if s is not None]
    errors = [Cited(t.text, b.gap_cite, "Integration Points: Error handling") for t in b.gap.integration_points.errors]
    for s in used:
        errors += [Cited(t.text, s.source.cite(), "Error Handling") for t in s.errors]
    patterns: list[Cited] = []
    for su in comp.stars:
        for p in su.patterns:
            if all(p.text != q.text for q in patterns):
                patterns.append(p)
    steps = []
    for su in comp.stars:
        if su.uses:
            steps.append(f"Use from {su.name}: {su.uses[0].text} ({su.uses[0].cite})")
    for con in comp.constraints_star:
        if con.kind in ("rate", "pool", "timeout") and con.origin == "star":
            steps.append(f"Stay within {con.star}'s stated limit: {con.text} ({con.cite})")
            break
    if comp.constraints_gap:
        steps.append(f"Meet every constraint of the gap listed below ({b.gap_cite})")
    purpose = cp.description or f"Implements {cp.name}"
    if cd is not None and cd.signature:
        m = re.search(r"\b(?:function|def|class|func|interface|struct)\s+(\w+)", cd.signature)
        is_class = bool(re.search(r"\bclass\b", cd.signature))
        return [Signature("class" if is_class else "function", m.group(1) if m else cp.name, purpose, lang, cd.signature, False, steps, errors, patterns)]
    text = _stars_text(used) + " " + cp.description
    deps_type = f"{P.pascal(cp.name)}Dependencies"
    fields = [(_handle(s, b), f"{P.pascal(short(s.name))}Client", f"from {s.name}") for s in used]
    if kind == "middleware":
        fn = P.named_function(cp.description) or P.camel(cp.name)
        chain = next((s.name for s in used if re.search(r"(?i)middleware", " ".join(t.text for t in (*s.assumptions, *s.contracts.all(), *s.errors)) + s.type)), "")
        note = f"{chain} middleware chain" if chain else "request pipeline"
        if lang == "typescript" and re.search(r"(?i)express", text):
            params = [("req", "Request", f"Express types ({note})"), ("res", "Response", "Express types"), ("next", "NextFunction", "Express middleware pattern")]
            ret = ("Promise<void>", f"async per {chain or 'gateway'} convention")
        elif lang == "python":
            params = [("request", "Request", note), ("call_next", "Callable[[Request], Awaitable[Response]]", "next handler in the chain")]
            ret = ("Response", "")
        else:
            params = [("request", "Request", note), ("response", "Response", ""), ("next", "Next", "continue the chain")]
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
            methods = [("call", "request", f"the one way {cp.name} reaches its star")]
        code = P.class_signature(P.pascal(cp.name), fields, methods, lang)
        return [Signature("class", P.pascal(cp.name), purpose, lang, code, True, steps, errors, patterns)]
    if kind == "worker":
        cadence = _CADENCE.search(cp.description)
        run_note = f"runs {cadence.group(0)} (per the sketch)" if cadence else "one pass over pending work"
        methods = [("start", "", "begin the loop"), ("stop", "", "finish the current pass, then exit"), ("runOnce", "", run_note)]
        code = P.class_signature(P.pascal(cp.name), fields, methods, lang)
        return [Signature("class", P.pascal(cp.name), purpose, lang, code, True, steps, errors, patterns)]
    if kind == "controller":
        routes: list[tuple[str, str]] = []
        sources = [cp.description, *(ip.text for su in comp.stars for ip in su.integration_point), *(t.text for t in b.gap.integration_points.input)]
        sources += [v for v in b.gap_via.values()]
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
        code = P.class_signature(P.pascal(cp.name), fields, methods, lang)
        return [Signature("class", P.pascal(cp.name), purpose, lang, code, True, steps, errors, patterns)]
    fn = P.named_function(cp.description) or _verb(cp.name)
    params = []
    ins = [i for i in comp.inputs if i.label == "Data Flow"]
    if ins:
        src = ins[0].text.split(" → ")[0]
        params.append(("input", f"{P.pascal(short(src))}Record" if P.pascal(short(src)) else "Input", f"from {src} (data flow)"))
    if used:
        params.append(("deps", deps_type, "clients of " + ", ".join(s.name for s in used)))
    outs = [o.text.split(" → ")[-1] for o in comp.outputs + comp.side_effects if o.label == "Data Flow"]
    ret_note = ("hands its result to " + ", ".join(outs)) if outs else ""
    ret = {"python": "None", "go": "error", "java": "void", "csharp": "Task"}.get(lang, "Promise<void>" if lang == "typescript" else "Result")
    code = P.function_signature(fn, params, (ret, ret_note), lang)
    return [Signature("function", fn, purpose, lang, code, True, steps, errors, patterns)]


def data_structures(b, comp: ComponentPlan, stars: list[Star | None]) -> list[DataStructure]:
    """Types: documented schemas of the stars (quoted), and proposed ones built from named fields."""
    lang = b.plan.language
    used = [s for s in stars if s is not None]
    out: list[DataStructure] = []
    sources: list[tuple[str, Cited]] = []
    if any(i.label.startswith("Integration Points") for i in comp.inputs) or b.is_entry(comp.name):
        sources += [("", Cited(t.text, b.gap_cite, "Integration Points: Input")) for t in b.gap.integration_points.input]
    for s in used:
        sources += [(short(s.name), Cited(t.text, s.source.cite(), "Exposed Contracts")) for t in s.contracts.schema]
    seen: set[str] = set()
    for prefix, cited in sources:
        for m in _BRACES.finditer(cited.text):
            names = [n for n in re.findall(r"\"?([A-Za-z_][\w]*)\"?", m.group(2))]
            if not names or len(names) > 20:
                continue
            words = [w for w in (m.group(1) or "").split() if w.lower() not in ("json", "a", "an", "the", "as", "object", "body", "always", "errors")][-2:]
            base = P.pascal(" ".join(words)) if words else "Payload"
            name = (P.pascal(prefix) + base) if prefix and not base.lower().startswith(P.pascal(prefix).lower()) else base
            if name in seen:
                continue
            seen.add(name)
            fields = [(n, P.field_type(n, lang), f"named in {cited.cite}") for n in dict.fromkeys(names)]
            out.append(DataStructure(name, lang, P.struct(name, fields, lang), True, [cited]))
    for s in used:
        for blk in s.contracts.code:
            out.append(DataStructure(f"{short(s.name)} schema", blk.info, blk.code.rstrip("\n"), False, [Cited("documented schema", s.source.cite(), "Exposed Contracts")]))
    if used:
        name = f"{P.pascal(comp.name)}Dependencies"
        fields = [(_handle(s, b), f"{P.pascal(short(s.name))}Client", f"from {s.name}") for s in used]
        align = [Cited(t.text, s.source.cite(), "Exposed Contracts") for s in used for t in s.contracts.dependencies[:1]]
        out.append(DataStructure(name, lang, P.struct(name, fields, lang), True, align))
    return out
