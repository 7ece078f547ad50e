"""A plan's signatures as names and parameters, written again as stubs in any language scaffold writes.

A signature block of a plan (TypeScript, JavaScript, Python, Go or Java, as the
planner or a person wrote it) is read into a :class:`Sig`: function or class,
name, parameters with their types, return type, fields and methods. :func:`stub`
writes it in a target language with a body that raises or throws "not
implemented". Types are kept when the target is the plan's language; otherwise
the language's own names for the common primitives are used and every other type
becomes the language's "any value" type (Python keeps the name as an annotation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cgplan.plan.naming import camel, pascal, snake


@dataclass
class Sig:
    """A function or a class of a plan."""

    kind: str
    """``function`` or ``class``."""
    name: str
    """Its name as written."""
    params: list[tuple[str, str]] = field(default_factory=list)
    """``(name, type)``; type empty when not given."""
    returns: str = ""
    """Return type as written, empty when not given."""
    is_async: bool = False
    """Declared ``async`` (or returning a Promise)."""
    fields: list[tuple[str, str]] = field(default_factory=list)
    """Class fields ``(name, type)``."""
    methods: list[Sig] = field(default_factory=list)
    """Class methods."""


def _strip_comments(line: str) -> str:
    line = re.sub(r"//.*$", "", line)
    line = re.sub(r"/\*.*?\*/", "", line)
    return re.sub(r"(?<![\w\"'])#.*$", "", line)


def _split_top(text: str, sep: str = ",") -> list[str]:
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def _params(text: str, lang: str) -> list[tuple[str, str]]:
    out = []
    for p in _split_top(text):
        p = p.split("=", 1)[0].strip()
        if lang in ("go",):
            parts = p.split(None, 1)
            name, typ = (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")
        elif lang == "java":
            parts = p.rsplit(None, 1)
            name, typ = (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")
            typ = re.sub(r"^(?:final\s+)", "", typ)
        else:
            name, _, typ = p.partition(":")
            name = name.strip().lstrip("*").rstrip("?")
        name = re.sub(r"[^\w$]", "", name)
        if not name or name in ("self", "cls"):
            continue
        out.append((name, typ.strip()))
    return out


_FN = {
    "python": re.compile(r"^(async\s+)?def\s+(\w+)\s*\((.*?)\)\s*(?:->\s*(.+?))?\s*:?\s*(?:\.\.\.)?$"),
    "go": re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\((.*?)\)\s*(.*?)\s*\{?$"),
    "java": re.compile(
        r"^(?:(?:public|protected|private|static|final|abstract|synchronized)\s+)*([\w<>\[\], ?]+?)\s+(\w+)\s*\((.*?)\)"
    ),
    "ts": re.compile(
        r"^(?:export\s+)?(?:default\s+)?(async\s+)?function\s*\*?\s*(\w+)\s*(?:<[^>]*>)?\s*\((.*?)\)\s*(?::\s*(.+?))?\s*[{;]?$"
    ),
}
_TS_METHOD = re.compile(
    r"^(?:(?:public|private|protected|static|readonly|abstract)\s+)*(async\s+)?(\w+)\s*\((.*?)\)\s*(?::\s*(.+?))?\s*[{;]?$"
)
_TS_FIELD = re.compile(r"^(?:(?:public|private|protected|static|readonly)\s+)*(\w+)\??\s*:\s*(.+?);?$")
_CLASS = re.compile(r"^(?:export\s+)?(?:default\s+)?(?:public\s+|abstract\s+|final\s+)*class\s+(\w+)")
_GO_STRUCT = re.compile(r"^type\s+(\w+)\s+struct\b")


def _is_async(returns: str) -> bool:
    return returns.strip().startswith("Promise")


def sniff(lines: list[str], default: str = "") -> str:
    """The language a signature block is written in, by its syntax (``default`` when nothing tells)."""
    text = "\n".join(_strip_comments(x) for x in lines)
    if re.search(r"(?m)^\s*(?:async\s+)?def\s+\w+\s*\(|^\s*class\s+\w+(?:\([^)]*\))?\s*:\s*$", text):
        return "python"
    if re.search(r"(?m)^\s*func\s|^\s*type\s+\w+\s+struct\b", text):
        return "go"
    if re.search(r"(?m)^\s*(?:public|private|protected)\s+(?:static\s+)?(?:final\s+)?[\w<>\[\],]+\s+\w+\s*\(", text):
        return "java"
    if re.search(r"\bfunction\b|\)\s*:\s*\w|\{|\w\??\s*:\s*\w", text):
        return default if default in ("typescript", "javascript") else "typescript"
    return default


def parse_signature(lines: list[str], lang: str) -> Sig | None:
    """Read one signature block of a plan written in ``lang``; ``None`` if it holds no function or class."""
    lang = sniff(lines, lang)
    fam = "ts" if lang in ("typescript", "javascript", "") else lang
    clean = [_strip_comments(x).rstrip() for x in lines]
    clean = [x for x in clean if x.strip()]
    if not clean:
        return None
    head = clean[0].strip()
    m = _CLASS.match(head) or _GO_STRUCT.match(head)
    if m:
        sig = Sig("class", m.group(1))
        for raw in clean[1:]:
            text = raw.strip().rstrip(";").strip()
            if not text or text in ("}", "{"):
                continue
            if lang == "python":
                fm = _FN["python"].match(text)
                if fm:
                    sig.methods.append(
                        Sig(
                            "function",
                            fm.group(2),
                            _params(fm.group(3), "python"),
                            (fm.group(4) or "").strip(),
                            bool(fm.group(1)),
                        )
                    )
                elif ":" in text:
                    n, _, t = text.partition(":")
                    sig.fields.append((n.strip(), t.split("=")[0].strip()))
                continue
            if lang == "go":
                parts = text.split()
                if len(parts) >= 2 and re.fullmatch(r"\w+", parts[0]):
                    sig.fields.append((parts[0], " ".join(parts[1:])))
                continue
            if lang == "java":
                jm = _FN["java"].match(text)
                if jm:
                    sig.methods.append(Sig("function", jm.group(2), _params(jm.group(3), "java"), jm.group(1).strip()))
                else:
                    fm2 = re.match(
                        r"^(?:(?:public|protected|private|static|final)\s+)*([\w<>\[\], ?]+?)\s+(\w+)$", text
                    )
                    if fm2:
                        sig.fields.append((fm2.group(2), fm2.group(1)))
                continue
            mm = _TS_METHOD.match(text)
            if mm and mm.group(2) not in ("constructor",):
                ret = (mm.group(4) or "").strip()
                sig.methods.append(
                    Sig("function", mm.group(2), _params(mm.group(3), "ts"), ret, bool(mm.group(1)) or _is_async(ret))
                )
                continue
            fm3 = _TS_FIELD.match(text)
            if fm3:
                sig.fields.append((fm3.group(1), fm3.group(2).strip()))
        return sig
    joined = " ".join(x.strip() for x in clean)
    joined = re.sub(r"\(\s+", "(", joined)
    joined = re.sub(r"\s+\)", ")", joined)
    joined = re.sub(r",\s*\)", ")", joined)
    if fam == "python":
        m = _FN["python"].match(joined)
        if m:
            return Sig(
                "function", m.group(2), _params(m.group(3), "python"), (m.group(4) or "").strip(), bool(m.group(1))
            )
    elif fam == "go":
        m = _FN["go"].match(joined)
        if m:
            return Sig("function", m.group(1), _params(m.group(2), "go"), m.group(3).strip())
    elif fam == "java":
        m = _FN["java"].match(joined)
        if m:
            return Sig("function", m.group(2), _params(m.group(3), "java"), m.group(1).strip())
    else:
        m = _FN["ts"].match(joined)
        if m:
            ret = (m.group(4) or "").strip()
            return Sig("function", m.group(2), _params(m.group(3), "ts"), ret, bool(m.group(1)) or _is_async(ret))
    return None


# --------------------------------------------------------------------------- types across languages

_PRIMS = {
    # canonical: python, typescript, go, java
    "string": ("str", "string", "string", "String"),
    "int": ("int", "number", "int64", "long"),
    "float": ("float", "number", "float64", "double"),
    "bool": ("bool", "boolean", "bool", "boolean"),
    "void": ("None", "void", "", "void"),
    "bytes": ("bytes", "Uint8Array", "[]byte", "byte[]"),
}
_ALIASES = {
    "str": "string",
    "string": "string",
    "String": "string",
    "int": "int",
    "int64": "int",
    "int32": "int",
    "long": "int",
    "Long": "int",
    "Integer": "int",
    "integer": "int",
    "number": "float",
    "float": "float",
    "float64": "float",
    "double": "float",
    "Double": "float",
    "bool": "bool",
    "boolean": "bool",
    "Boolean": "bool",
    "None": "void",
    "void": "void",
    "Void": "void",
    "bytes": "bytes",
    "[]byte": "bytes",
    "byte[]": "bytes",
    "Buffer": "bytes",
}
_COL = {"python": 0, "typescript": 1, "javascript": 1, "go": 2, "java": 3}
_ANY = {"python": "", "typescript": "unknown", "javascript": "", "go": "any", "java": "Object"}


def convert_type(typ: str, src: str, dst: str) -> str:
    """``typ`` of language ``src`` in language ``dst`` ("" for none or unknown in Python / JavaScript)."""
    typ = typ.strip()
    if dst == "javascript":
        return ""
    if src == dst or (src in ("typescript", "javascript") and dst == "typescript"):
        return typ
    inner = re.fullmatch(r"(?:Promise|Awaitable|Future|CompletableFuture|Optional)<(.+)>|Optional\[(.+)\]", typ)
    if inner:
        typ = (inner.group(1) or inner.group(2)).strip()
    canon = _ALIASES.get(typ)
    if canon:
        return _PRIMS[canon][_COL[dst]]
    if not typ:
        return _ANY[dst]
    if dst in ("python", "typescript") and re.fullmatch(r"[A-Z]\w*", typ):
        return typ
    return _ANY[dst]


# --------------------------------------------------------------------------- writing stubs


def _msg(name: str) -> str:
    return f"not implemented: {name}"


def stub(sig: Sig, src: str, dst: str, *, go_receiver: str = "") -> str:
    """``sig`` written in ``dst`` with a body that raises or throws "not implemented"."""
    if sig.kind == "class":
        return _class_stub(sig, src, dst)
    return _fn_stub(sig, src, dst, indent="", in_class=False)


def _fn_name(name: str, dst: str, *, exported: bool = True) -> str:
    if dst == "python":
        return snake(name, lead="") if not name.isidentifier() or not name.islower() else name
    if dst == "go":
        return pascal(name) if exported else camel(name)
    if dst in ("java", "typescript", "javascript"):
        return name if re.fullmatch(r"[a-z]\w*", name) else camel(name)
    return name


def _param_name(name: str, dst: str) -> str:
    if dst == "python":
        return snake(name, lead="p") if not (name.islower() and name.isidentifier()) else name
    return name if re.fullmatch(r"[a-z]\w*", name) else camel(name)


def _fn_stub(sig: Sig, src: str, dst: str, *, indent: str, in_class: bool, owner: str = "") -> str:
    name = _fn_name(sig.name, dst)
    ret = convert_type(sig.returns, src, dst)
    params = [(_param_name(n, dst), convert_type(t, src, dst)) for n, t in sig.params]
    is_async = sig.is_async or _is_async(sig.returns)
    if dst == "python":
        ps = (["self"] if in_class else []) + [f"{n}: {t}" if t else n for n, t in params]
        r = ret if ret and ret != "None" else "None"
        return (
            f"{indent}{'async ' if is_async else ''}def {name}({', '.join(ps)}) -> {r}:\n"
            f'{indent}    raise NotImplementedError("{_msg(name)}")\n'
        )
    if dst in ("typescript", "javascript"):
        ps = ", ".join(f"{n}: {t or 'unknown'}" if dst == "typescript" else n for n, t in params)
        r = f": {ret}" if ret and dst == "typescript" else ""
        if ret and dst == "typescript" and is_async and not ret.startswith("Promise"):
            r = f": Promise<{ret}>"
        if in_class:
            head = f"{indent}{'public ' if dst == 'typescript' else ''}{'async ' if is_async else ''}{name}({ps}){r}"
        else:
            export = "export " if dst == "typescript" else ""
            head = f"{indent}{export}{'async ' if is_async else ''}function {name}({ps}){r}"
        return f"{head} {{\n{indent}  throw new Error('{_msg(name)}');\n{indent}}}\n"
    if dst == "go":
        ps = ", ".join(f"{n} {t or 'any'}" for n, t in params)
        recv = f"({owner[:1].lower()} *{owner}) " if in_class else ""
        r = f" {ret}" if ret else " error"
        return f'func {recv}{name}({ps}){r} {{\n\tpanic("{_msg(name)}")\n}}\n'
    if dst == "java":
        ps = ", ".join(f"{t or 'Object'} {n}" for n, t in params)
        r = ret or "void"
        static = "" if in_class else "static "
        return (
            f"{indent}public {static}{r} {name}({ps}) {{\n"
            f'{indent}    throw new UnsupportedOperationException("{_msg(name)}");\n{indent}}}\n'
        )
    raise ValueError(dst)


def _class_stub(sig: Sig, src: str, dst: str) -> str:
    name = pascal(sig.name) if not re.fullmatch(r"[A-Z]\w*", sig.name) else sig.name
    fields = [(f, convert_type(t, src, dst)) for f, t in sig.fields]
    if dst == "python":
        lines = [f"class {name}:"]
        lines += [f"    {snake(f, lead='f')}: {t or 'object'}" for f, t in fields]
        if fields and sig.methods:
            lines.append("")
        body = "\n".join(_fn_stub(m, src, dst, indent="    ", in_class=True) for m in sig.methods)
        if not fields and not sig.methods:
            lines.append("    pass")
        return "\n".join(lines) + ("\n" + body if body else "\n")
    if dst in ("typescript", "javascript"):
        lines = [f"{'export ' if dst == 'typescript' else ''}class {name} {{"]
        if dst == "typescript":
            lines += [f"  private {f}!: {t or 'unknown'};" for f, t in fields]
        if fields and sig.methods and dst == "typescript":
            lines.append("")
        body = "\n".join(_fn_stub(m, src, dst, indent="  ", in_class=True) for m in sig.methods)
        return "\n".join(lines) + ("\n" + body if body else "\n") + "}\n"
    if dst == "go":
        lines = [f"type {name} struct {{"]
        lines += [f"\t{camel(f)} {t or 'any'}" for f, t in fields]
        lines.append("}\n")
        for m in sig.methods:
            lines.append(_fn_stub(m, src, dst, indent="", in_class=True, owner=name))
        return "\n".join(lines)
    if dst == "java":
        lines = [f"public class {name} {{"]
        lines += [f"    private {t or 'Object'} {f};" for f, t in fields]
        if fields and sig.methods:
            lines.append("")
        body = "\n".join(_fn_stub(m, src, dst, indent="    ", in_class=True) for m in sig.methods)
        return "\n".join(lines) + ("\n" + body if body else "\n") + "}\n"
    raise ValueError(dst)
