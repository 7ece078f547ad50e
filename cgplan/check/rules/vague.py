"""Vague or placeholder content where the seed asks for specifics."""

from __future__ import annotations

import re

_MARKER = re.compile(r"\b(TODO|TBD|FIXME)\b")
_ANYWHERE = re.compile(
    r"(?i)\b(implement (?:the )?(?:business )?logic|test that it works|make sure it works|ensure it works"
    r"|handle (?:all )?(?:the )?errors? (?:appropriately|properly|gracefully|as needed|correctly)"
    r"|(?:and|or) so on|to be (?:decided|determined|defined))\b"
)
_WHOLE = re.compile(
    r"(?i)^(?:(?:implement|add|write|create|build) (?:the )?"
    r"(?:logic|functionality|code|feature|implementation|tests?)(?: here)?"
    r"|handle (?:the )?(?:errors?|exceptions?|failures?|edge cases)|test edge cases|etc|\.\.\.|…|tbd|todo|placeholder)$"
)
_PLACEHOLDER = re.compile(
    r"\[[^\[\]\n]*\b(?:Star Name|Component Name|Next Component Name|ClassName|InterfaceName|functionName|path/to/"
    r"|Specific (?:contract|interface|capability|section)|What (?:this|it) (?:does|manages)|Test that validates this"
    r"|Section from implementation-sketches|Gap name from gap analysis|Action|Interface|Data type/format"
    r"|Protocol/interface|Error case|How to handle|Star pattern|from Star|Constraint \d|Implementation choice"
    r"|Rationale|Concrete example)\b[^\[\]\n]*\]"
)
_LABEL = re.compile(r"^(?:[-*+]\s+)?(?:step \d+\s*:\s*)?(?:[A-Za-z][\w /&'()-]{0,40}:\s*)?")


_WHOLE_ENDS = (
    "logic",
    "functionality",
    "code",
    "feature",
    "implementation",
    "test",
    "tests",
    "here",
    "error",
    "errors",
    "exception",
    "exceptions",
    "failure",
    "failures",
    "cases",
    "etc",
    "\u2026",
    "tbd",
    "todo",
    "placeholder",
)
"""Every line :data:`_WHOLE` matches ends with one of these once lower-cased (trailing dots removed)."""

_HINTS = ("implement", "test that", "sure it", "ensure it", "handle", "so on", "to be ")
"""Every line :data:`_ANYWHERE` matches contains one of these once lower-cased."""


def vague_line(text: str, code: bool) -> str | None:
    """Why a line is vague, or ``None``."""
    if "TODO" in text or "TBD" in text or "FIXME" in text:
        m = _MARKER.search(text)
        if m:
            return f"placeholder {m.group(1)}"
    if code:
        return None
    if "[" in text:
        m = _PLACEHOLDER.search(text)
        if m:
            return f"template placeholder {m.group(0)}"
    low = text.lower()
    if any(h in low for h in _HINTS):
        m = _ANYWHERE.search(text)
        if m:
            return f"vague text {m.group(1)!r}"
    if len(text) > 80 or not low.rstrip().rstrip(".").endswith(_WHOLE_ENDS) and not low.rstrip().endswith("..."):
        return None
    rest = _LABEL.sub("", text.strip(), count=1).strip().rstrip(".")
    if rest and _WHOLE.match(rest):
        return f"vague text {rest!r}"
    return None


def vague_text(ctx, plan_file):
    """TODO / TBD / FIXME, template placeholders, "implement the logic", "handle errors", "test that it
    works", empty sections.

    Why: the seed asks for specifics; a placeholder handed to a code generator comes back as invented
    behaviour.

    Example: ``**Error Handling:** handle errors appropriately``.
    """
    plan = plan_file.parsed
    for tl in plan.lines:
        why = vague_line(tl.text, tl.code)
        if why:
            yield tl.line, f"{why}; state the specific contract, step or test instead"
    for part in plan.empty_sections:
        yield part.line, f"section {part.title!r} is empty; fill it in or remove it"
    for comp in plan.components:
        for part in comp.parts.values():
            if part.empty:
                yield (
                    part.line,
                    f"section {part.title!r} of component {comp.name!r} is empty; fill it in from the documents",
                )
