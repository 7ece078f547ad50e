"""Proposals for what the documents leave open: language, file path, signatures, types, test skeletons.

Every proposal is derived from the component's name and the conventions its
stars document (a language named in a contract, a source path, a middleware
style); the plan marks each one *(proposed)*.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cgplan.load.fields import norm_key

# language: (fence info, extension, test file pattern, words that reveal it)
LANGUAGES = {
    "typescript": (
        "typescript",
        "ts",
        "{dir}/{name}.test.ts",
        (r"\btypescript\b", r"\bnode\.?js\b", r"\bexpress\b", r"\.ts\b", r"\bnestjs\b", r"-node\b", r"\bnpm\b"),
    ),
    "python": (
        "python",
        "py",
        "tests/test_{name}.py",
        (
            r"\bpython\b",
            r"\bdjango\b",
            r"\bfastapi\b",
            r"\bflask\b",
            r"\.py\b",
            r"\bcelery\b",
            r"\bsqlalchemy\b",
            r"\bpsycopg",
            r"\bpydantic\b",
            r"\bpytest\b",
            r"\bgunicorn\b",
            r"\buvicorn\b",
        ),
    ),
    "go": ("go", "go", "{dir}/{name}_test.go", (r"\bgolang\b", r"\bgo \d", r"\.go\b", r"\bgin\b")),
    "java": (
        "java",
        "java",
        "src/test/java/{name}Test.java",
        (r"\bjava\b", r"\bspring\b", r"\bkotlin\b", r"\.java\b", r"\bjvm\b"),
    ),
    "csharp": ("csharp", "cs", "tests/{name}Tests.cs", (r"\.net\b", r"\bc#", r"\basp\.net\b", r"\.cs\b")),
    "ruby": ("ruby", "rb", "spec/{name}_spec.rb", (r"\bruby\b", r"\brails\b", r"\.rb\b")),
}


_LANGUAGE_RX = {lang: [re.compile(p) for p in pats] for lang, (_info, _ext, _test, pats) in LANGUAGES.items()}


@lru_cache(maxsize=16384)
def _language_hits(text: str) -> tuple[int, ...]:
    """Matches of each language's words in one text (in :data:`LANGUAGES` order)."""
    low = text.lower()
    return tuple(sum(len(rx.findall(low)) for rx in rxs) for rxs in _LANGUAGE_RX.values())


def guess_language(texts: list[str]) -> str:
    """The language the stars' own texts point to, or ``""`` (language-neutral).

    No word pattern can match across two texts, so each text's matches are
    counted once (stars recur across gaps) and summed.
    """
    totals = [0] * len(LANGUAGES)
    for t in texts:
        for i, n in enumerate(_language_hits(t)):
            totals[i] += n
    best, score = "", 0
    for lang, n in zip(LANGUAGES, totals, strict=True):
        if n > score:
            best, score = lang, n
    return best


def words(name: str) -> list[str]:
    """``StripeThrottledClient`` -> ``['stripe', 'throttled', 'client']``."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", name)
    return [p.lower() for p in parts] or norm_key(name).split() or ["component"]


def camel(name: str) -> str:
    w = words(name)
    return w[0] + "".join(x.capitalize() for x in w[1:])


def pascal(name: str) -> str:
    return "".join(x.capitalize() for x in words(name))


def snake(name: str, limit: int = 0, *, lead: str = "n") -> str:
    """``Pool exhaustion`` -> ``pool_exhaustion``; a leading digit gets ``lead + '_'`` (empty ``lead``: kept)."""
    w = norm_key(name).split() if " " in name.strip() else words(name)
    if limit:
        w = w[:limit]
    out = "_".join(w) or "component"
    return (lead + "_" + out) if lead and out[0].isdigit() else out


_FILLER = frozenset(
    "a an the of for as to is are be been being with and or in on at by its it this that these those when if "
    "then from into per via so such any all each every our their his her your my we they there "
    "which who whom whose what where while during about".split()
)
"""Words a name can do without (negations and comparisons such as ``no``, ``under``, ``than`` stay)."""
_DANGLING = frozenset("no not than more less fewer under over above below within without before after until".split())
"""Words a name must not end on: they need what follows them."""


def name_from_phrase(phrase: str, *, lead: str = "", limit: int = 60) -> str:
    """A snake_case name from a phrase: whole words only, filler words dropped, at most ``limit`` characters.

    ``Connection refused during failover`` -> ``connection_refused_failover``. Words are dropped from
    the end when the name would be too long, never cut in the middle.
    """
    kept = [word for word in norm_key(phrase).split() if word not in _FILLER]
    parts = [lead] if lead else []
    for word in kept:
        if len("_".join([*parts, word])) > limit:
            break
        parts.append(word)
    while len(parts) > 1 and (parts[-1] in _DANGLING or (parts[-1].isdigit() and parts[-2] in _DANGLING)):
        parts.pop()
    name = "_".join(parts) or lead or "case"
    return ("n_" + name) if name[0].isdigit() else name


# component kind from the last word of its name
_KINDS = {
    "middleware": "middleware",
    "interceptor": "middleware",
    "filter": "middleware",
    "guard": "middleware",
    "client": "client",
    "wrapper": "client",
    "adapter": "client",
    "gateway": "client",
    "proxy": "client",
    "worker": "worker",
    "sweeper": "worker",
    "job": "worker",
    "relay": "worker",
    "scheduler": "worker",
    "consumer": "worker",
    "poller": "worker",
    "loop": "worker",
    "daemon": "worker",
    "controller": "controller",
    "handler": "controller",
    "endpoint": "controller",
    "router": "controller",
    "routes": "controller",
    "api": "controller",
}
_DIRS = {
    "middleware": "middleware",
    "client": "clients",
    "worker": "workers",
    "controller": "controllers",
    "service": "services",
}


def kind_of(name: str, description: str = "") -> str:
    """``middleware``, ``client``, ``worker``, ``controller`` or ``service``."""
    kind = _KINDS.get(words(name)[-1], "service")
    if kind == "service" and re.search(
        r"(?i)\bbackground\b|\bworker\b|\bevery\s+\d|\bhourly\b|\bnightly\b|\bscheduled\b|\bcron\b|\bloop\b",
        description,
    ):
        kind = "worker"
    return kind


_PATH = re.compile(r"(?<![\w/])((?:src|lib|app|pkg|internal|cmd|server)/[\w./-]+?)/[\w.-]+\.(\w+)\b")


def propose_file(name: str, kind: str, lang: str, texts: list[str]) -> str:
    """A file path in the layout the stars' own paths show (``src/middleware/...``)."""
    dirs: list[str] = []
    for t in texts:
        dirs.extend(m.group(1) for m in _PATH.finditer(t))
    want = _DIRS[kind]
    chosen = next((d for d in dirs if d.rsplit("/", 1)[-1].rstrip("s") == want.rstrip("s")), "")
    if not chosen:
        root = dirs[0].split("/", 1)[0] if dirs else "src"
        chosen = f"{root}/{want}"
    if not lang:
        return f"{chosen}/{snake(name)}"
    ext = LANGUAGES[lang][1]
    base = {"typescript": camel(name), "java": pascal(name), "csharp": pascal(name)}.get(lang, snake(name))
    return f"{chosen}/{base}.{ext}"


def test_file(gap_slug: str, lang: str, component_file: str) -> str:
    """The test file path, beside the code in the language's convention."""
    name = gap_slug.replace("-", "_")
    if not lang:
        return f"tests/{name}_integration_test"
    pattern = LANGUAGES[lang][2]
    folder = component_file.rsplit("/", 1)[0] if "/" in component_file else "tests"
    if lang == "typescript":
        name = camel(gap_slug.replace("-", " ").title().replace(" ", ""))
    elif lang in ("java", "csharp"):
        name = pascal(gap_slug.replace("-", " ").title().replace(" ", ""))
    return pattern.format(dir=folder, name=name)


_FN_NAME = re.compile(r"\b([a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+)\b(?!\.)")


VERBS = frozenset(
    """acquire add aggregate alert allocate apply approve archive assign attach authenticate authorize backfill build
    cache calculate cancel charge check clean close collect compose compute confirm consume convert create decrypt
    delete dequeue detach dispatch drain emit encrypt enqueue enrich evaluate execute expire export fetch filter find
    flag format generate get guard handle import index invalidate issue limit load lock log lookup map mark match
    migrate normalize notify open parse poll post process publish purge put query rank read receive reconcile record
    refresh refund register reject release remove render renew report reserve reset resolve retry rotate route run
    save schedule score search select send set sign start stop store sweep sync throttle track transform trigger
    unlock update validate verify write""".split()
)
"""Verbs a function name may start with."""


def named_function(description: str) -> str:
    """A camelCase function name the sketch itself writes (``limitStripeRateMiddleware``, ``acquireHold()``):
    one that is called (``(`` follows) or starts with a verb; a field such as ``deviceId`` is not one."""
    for m in _FN_NAME.finditer(description):
        called = description[m.end() : m.end() + 1] == "("
        if called or words(m.group(1))[0] in VERBS:
            return m.group(1)
    return ""


def function_signature(
    fn: str, params: list[tuple[str, str, str]], returns: tuple[str, str], lang: str, *, is_async: bool = True
) -> str:
    """Render a function signature; each param is ``(name, type, comment)``.

    An empty type is a value whose shape the documents do not give: no annotation in Python, and the
    language's "any value" type where one is required (``unknown``, ``any``, ``Object``).
    """
    if lang != "python":
        untyped = {"go": "any", "java": "Object", "csharp": "object"}.get(lang, "unknown")
        params = [(p, t or untyped, note) for p, t, note in params]
    if lang == "python":
        lines = [f"{'async ' if is_async else ''}def {fn}("]
        for p, t, note in params:
            declared = f"{snake(p)}: {t}," if t else f"{snake(p)},"
            lines.append(f"    {declared}  # {note}" if note else f"    {declared}")
        arrow = f" -> {returns[0]}" if returns[0] else ""
        lines.append(f"){arrow}:  # {returns[1]}" if returns[1] else f"){arrow}:")
        lines.append("    ...")
        return "\n".join(lines)
    if lang == "go":
        lines = [f"func {pascal(fn)}("]
        for p, t, note in params:
            lines.append(f"\t{p} {t}, // {note}" if note else f"\t{p} {t},")
        lines.append(f") {returns[0]} // {returns[1]}" if returns[1] else f") {returns[0]}")
        return "\n".join(lines)
    if lang in ("java", "csharp"):
        lines = [f"public {returns[0]} {fn}("]
        for i, (p, t, note) in enumerate(params):
            comma = "," if i < len(params) - 1 else ""
            lines.append(f"    {t} {p}{comma}  // {note}" if note else f"    {t} {p}{comma}")
        lines.append(f");  // {returns[1]}" if returns[1] else ");")
        return "\n".join(lines)
    prefix = (
        "export async function"
        if lang == "typescript" and is_async
        else "export function"
        if lang == "typescript"
        else "function"
    )
    lines = [f"{prefix} {fn}("]
    for i, (p, t, note) in enumerate(params):
        comma = "," if i < len(params) - 1 else ""
        lines.append(f"  {p}: {t}{comma}  // {note}" if note else f"  {p}: {t}{comma}")
    ret = f": {returns[0]}" if returns[0] else ""
    lines.append(f"){ret}  // {returns[1]}" if returns[1] else f"){ret}")
    return "\n".join(lines)


def class_signature(
    cls: str, fields: list[tuple[str, str, str]], methods: list[tuple[str, str, str]], lang: str
) -> str:
    """Render a class outline; fields and methods are ``(name, type/signature, comment)``."""
    if lang == "python":
        lines = [f"class {cls}:"]
        for f, t, note in fields:
            lines.append(f"    {snake(f)}: {t}  # {note}" if note else f"    {snake(f)}: {t}")
        for m, sig, note in methods:
            lines.append(
                f"    async def {snake(m)}(self{', ' + sig if sig else ''}) -> None: ...  # {note}"
                if note
                else f"    async def {snake(m)}(self{', ' + sig if sig else ''}) -> None: ..."
            )
        return "\n".join(lines)
    lines = [f"{'export ' if lang == 'typescript' else ''}class {cls} {{"]
    for f, t, note in fields:
        lines.append(f"  private {f}: {t};  // {note}" if note else f"  private {f}: {t};")
    if fields and methods:
        lines.append("")
    for m, sig, note in methods:
        lines.append(
            f"  public {m}({sig}): Promise<void>;  // {note}" if note else f"  public {m}({sig}): Promise<void>;"
        )
    lines.append("}")
    return "\n".join(lines)


def struct(name: str, fields: list[tuple[str, str, str]], lang: str) -> str:
    """Render a data structure; fields are ``(name, type, comment)``."""
    if lang == "python":
        lines = ["@dataclass", f"class {name}:"]
        for f, t, note in fields:
            lines.append(f"    {snake(f)}: {t}  # {note}" if note else f"    {snake(f)}: {t}")
        return "\n".join(lines)
    if lang == "go":
        lines = [f"type {name} struct {{"]
        for f, t, note in fields:
            lines.append(f"\t{pascal(f)} {t} // {note}" if note else f"\t{pascal(f)} {t}")
        lines.append("}")
        return "\n".join(lines)
    lines = [f"{'export ' if lang == 'typescript' else ''}interface {name} {{"]
    for f, t, note in fields:
        lines.append(f"  {f}: {t};  // {note}" if note else f"  {f}: {t};")
    lines.append("}")
    return "\n".join(lines)


def field_type(field: str, lang: str) -> str:
    """A type for a field named in a document (``amountCents`` -> number)."""
    w = words(field)
    last = w[-1] if w else ""
    num = {"python": "int", "go": "int64", "java": "long", "csharp": "long"}.get(lang, "number")
    text = {"python": "str", "go": "string", "java": "String", "csharp": "string"}.get(lang, "string")
    if last in ("cents", "count", "amount", "total", "size", "ms", "seconds", "attempts", "score"):
        return num
    if last in ("at", "time", "timestamp", "date") and len(w) > 1:
        # a moment (``updated_at``, ``createdAt``)
        return {"python": "datetime", "go": "time.Time", "java": "Instant", "csharp": "DateTimeOffset"}.get(
            lang, "string"
        )
    return text


def test_skeleton(lang: str, suite: str, case: str, setup: str, action: str, check: str) -> str:
    """A test outline (setup / action / assert comments) in the plan's language."""
    if lang == "python":
        return (
            f"def test_{snake(case)}():\n    # Setup: {setup}\n    # Action: {action}\n    # Assert: {check}\n    ..."
        )
    if lang == "go":
        return (
            f"func Test{pascal(snake(case))}(t *testing.T) {{\n"
            f"\t// Setup: {setup}\n\t// Action: {action}\n\t// Assert: {check}\n}}"
        )
    if lang in ("java", "csharp"):
        return (
            f"@Test\nvoid {camel(snake(case))}() {{\n"
            f"    // Setup: {setup}\n    // Action: {action}\n    // Assert: {check}\n}}"
        )
    if lang == "typescript":
        return (
            f"describe('{_q(suite)}', () => {{\n  it('{_q(case)}', async () => {{\n"
            f"    // Setup: {setup}\n    // Action: {action}\n    // Assert: {check}\n  }});\n}});"
        )
    return f"test {case}:\n  setup:  {setup}\n  action: {action}\n  assert: {check}"


def _q(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")
