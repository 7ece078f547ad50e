"""Document text made safe for a Markdown plan: inline escaping, no raw HTML, fences that hold any code."""

from __future__ import annotations

import re
from functools import lru_cache

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
            if (
                m
                and m.group(1)[0] == fence_mark[0]
                and len(m.group(1)) >= len(fence_mark)
                and not line.strip().strip(fence_mark[0])
            ):
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
