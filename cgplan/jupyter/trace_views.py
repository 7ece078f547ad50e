"""What the notebooks show of ``cgplan trace``: a per-gap chart of criteria verified, found, mapped, unmapped."""

from __future__ import annotations

import html

#: Segment colours, best first.
SEGMENTS = (
    ("verified", "#2e7d32", "verified: every mapped test found and passed"),
    ("found", "#f9a825", "found: every mapped test is in the code, not all passed"),
    ("mapped", "#90a4ae", "mapped: the plan names a test, the code lacks one"),
    ("unmapped", "#c62828", "unmapped: no test in the plan"),
)


def segments(summary) -> dict[str, int]:
    """Criteria of one gap's summary (a :class:`~cgplan.reports.trace.GapSummary`) split into the four states."""
    return {
        "verified": summary.verified,
        "found": summary.found - summary.verified,
        "mapped": summary.mapped - summary.found,
        "unmapped": summary.criteria - summary.mapped,
    }


def trace_chart_svg(summaries, *, width: int = 760) -> str:
    """One horizontal bar per gap, one segment per state; a standalone, deterministic SVG, every name escaped."""
    e = html.escape
    label_w, bar_h, gap_h = 230, 18, 30
    most = max((s.criteria for s in summaries), default=1) or 1
    scale = (width - label_w - 60) / most
    height = 40 + gap_h * len(summaries) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Success criteria per gap: verified, found, mapped, unmapped</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for i, s in enumerate(summaries):
        y = 20 + gap_h * i
        name = s.gap if len(s.gap) <= 34 else s.gap[:33] + "\u2026"
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{e(name)}</text>')
        x = float(label_w)
        for key, colour, what in SEGMENTS:
            n = segments(s)[key]
            if n <= 0:
                continue
            w = n * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" stroke="#ffffff">'
                f"<title>{e(s.gap)}: {n} {e(what)}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{s.verified}/{s.criteria} verified</text>')
    ly = height - 14
    lx = 10.0
    for key, colour, _what in SEGMENTS:
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16:.1f}" y="{ly}">{key}</text>')
        lx += 30 + 7 * len(key)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
