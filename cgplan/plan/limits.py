"""Find the limits a star states (rates, timeouts, pool sizes, sizes, HTTP codes) and say what they mean.

Only lines that state a number with a unit, a rate, a timeout, a pool size or an
HTTP status code count; the line is quoted as written, never rephrased.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cgplan.model.construction import Star, Text
from cgplan.plan.failures import is_operations_note

_UNIT = (
    r"ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?"
    r"|b|kb|mb|gb|tb|kib|mib|gib|%|x"
    r"|req/s(?:ec)?|rps|qps|requests?|calls?|connections?|conns?|pods?|tasks?|nodes?|workers?|threads?"
    r"|attempts?|retries|retry|times|messages?|series|items?|rows?|records?|events?|keys?|users?|jobs?"
    r"|characters?|chars?|segments?|emails?|sms|orders?|bookings?|reads?|writes?|loans?|patrons?"
)
_NUM_UNIT = re.compile(
    r"(?i)(?<![\w.:-])\d[\d,]*(?:\.\d+)?\s*(?:[-–]\s*\d[\d,]*(?:\.\d+)?\s*)?-?(?:[a-z][\w-]*\s+){0,2}(?:"
    + _UNIT
    + r")(?![a-z])|\bport\s+\d+"
)
_RATE = re.compile(
    r"(?i)\d[\d,.]*[kmb]?\s*(?:[a-z][\w-]*\s+){0,2}(?:[a-z][\w-]*(?=/))?(?:/|per\s+)(?:s|sec|second|min|minute|h|hour|day)\b"
    r"|\d[\d,.]*\s*(?:req|requests?|calls?|messages?|events?|ops|writes?|reads?)/(?:s|sec|second|min|minute|h|hour|day)\b"
    r"|\b(?:rps|qps)\b|rate.limit|quota|throttl"
)
_TIMEOUT = re.compile(r"(?i)time\s*-?out|ttl|expir|within\s+\d|deadline|latency|tolerance|lag")
_POOL = re.compile(r"(?i)\bpool\b|connections?\b|\bmax(?:imum)?\b|\bat most\b|\bcapped\b|\bcap\b|\bceiling\b|\blimit\b")
_STATUS = re.compile(r"(?i)(?<![\w.$-])(?:[1-5]\d\d|[1-5]xx)(?![\w.%])(?!\s*(?:" + _UNIT + r")(?![a-z]))")
_STATUS_CONTEXT = re.compile(
    r"(?i)\bhttp\b|status|\b(?:error|response|return|reply)\s+codes?\b|respon|return|answer|\berror|reject|"
    r"\b[1-5]xx\b|too many|not found|"
    r"conflict|unauthori[sz]ed|forbidden|bad request|unavailable|gateway|accepted|\bok\b|declin|fail"
)
"""Words that make a number from 100 to 599 an HTTP status code; without them it is a count or a bound."""
_SIZE = re.compile(r"(?i)\d\s*(?:kb|mb|gb|tb|kib|mib|gib|bytes?)\b")

#: Star fields searched for limits, with the label shown in citations.
FIELDS = (
    ("assumptions", "Core Assumptions"),
    ("scaling", "Scaling Model"),
    ("contracts", "Exposed Contracts"),
    ("errors", "Error Handling"),
    ("conflicts", "Known Conflicts"),
)


_TIME = re.compile(
    r"(?i)(?<![\w.])\d[\d,]*(?:\.\d+)?\s*(?:[-–]\s*\d[\d,]*(?:\.\d+)?\s*)?(?:ms|milliseconds?|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?)(?![a-z])"
)
_POOLED = re.compile(r"(?i)\bpool\b\D{0,30}(?<![\w.])\d+\b|(?<![\w.])\d[\d,]*\s*(?:connections?|conns?)\b")


_LIFETIME = re.compile(
    r"(?i)(?:compressed|archived|deleted|purged|rotated|moved|dropped|frozen)\s+after\b|"
    r"\bttl\b|expir|retention|retain|\bkept\b|\bkeeps?\b|remember|\bstores?\b|\blags?\b|\bstale\b|"
    r"\bcached\b|\bhistory\b|redeliver|retried|\bfor up to\b"
)
"""Words that make a duration how long something lasts or trails (a key's lifetime, a replica's lag), not a
time budget the code must meet."""
_BUDGET = re.compile(r"(?i)time\s*-?out|deadline|latency|within|\bunder\s+\d|\bp\d\d\b|must|respond|answer")
"""Words that make a duration a budget to meet."""


_LOAD = re.compile(
    r"(?i)\b(?:handle|handles|handling|sustain|absorb|peak|load|throughput|serve|accept|ingest|burst|volume)|"
    r"\b(?:about|around|roughly)\s+\d|~\s*\d"
)
"""Words that make a rate a load the code must carry (``Must handle 500 req/sec peak load``), not a ceiling."""


@lru_cache(maxsize=65536)
def limit_kind(text: str) -> str:
    """What sort of limit a line states, or ``""`` if it states none."""
    if _RATE.search(text) and re.search(r"\d", text):
        ceiling = re.search(r"(?i)\bat most\b|\bno more than\b|\blimit|\bcap\b|\bquota|\ballows?\b|enforce", text)
        return "load" if _LOAD.search(text) and not ceiling else "rate"
    if _POOLED.search(text):
        return "pool"
    if _TIME.search(text) and _LIFETIME.search(text) and not _BUDGET.search(text):
        return "lifetime"
    if _TIME.search(text) or (_TIMEOUT.search(text) and _NUM_UNIT.search(text)):
        return "timeout"
    if _SIZE.search(text):
        return "size"
    if _STATUS.search(text) and _STATUS_CONTEXT.search(text):
        return "status"
    if _NUM_UNIT.search(text):
        return "count"
    return ""


_NONE = re.compile(r"(?i)^\W*(?:none|n/?a|nothing|no known|not known)\b")
"""A Known Conflicts entry that says there is none."""


def star_limits(star: Star) -> list[tuple[str, Text, str]]:
    """``(field label, line, kind)`` for every line of the star that states a limit, and every Known Conflict
    (a conflict constrains whoever uses the star, figure or not; its kind is ``""`` when it states none)."""
    out: list[tuple[str, Text, str]] = []
    seen: set[str] = set()
    for attr, label in FIELDS:
        items: list[Text] = star.contracts.all() if attr == "contracts" else getattr(star, attr)
        for t in items:
            if attr == "errors" and is_operations_note(t.text):
                continue  # a backup, alerting or logging note states no limit the code must meet
            kind = limit_kind(t.text)
            stated = attr == "conflicts" and not _NONE.match(t.text)
            if (kind or stated) and t.text not in seen:
                seen.add(t.text)
                out.append((label, t, kind))
    return out


KINDS = ("rate", "load", "pool", "timeout", "lifetime", "size", "status", "count")
"""Kinds of limit, in the order a plan discusses them."""


def meaning(kind: str) -> str:
    """The implementation consequence limits of this kind imply (phrased as derived from them)."""
    return {
        "rate": (
            "keep calls under the stated rate, counted in state every process shares, and prove it with a load test"
        ),
        "load": "carry the stated load without dropping work, and prove it with a load test at that rate",
        "pool": "reuse the existing connections within the stated pool; never open new ones per request",
        "timeout": "fit each step into the stated time budget; answer early or defer instead of waiting past it",
        "lifetime": "rely on nothing beyond the stated time: keys, holds and messages expire, replicas trail by it",
        "size": "keep what is stored or sent within the stated size",
        "status": "handle each stated status code explicitly, each with its own test",
        "count": "configure and test against the stated bounds",
    }[kind]


_RATE_VALUE = re.compile(
    r"(?i)(?<![\w.])\d[\d,.]*[kmb]?\s*(?:[a-z][\w-]*\s+){0,2}(?:[a-z][\w-]*(?=/))?(?:/|per\s+)(?:s|sec|second|min|minute|h|hour|day)\b"
    r"|(?<![\w.])\d[\d,.]*\s*(?:req|requests?|calls?|messages?|events?|ops|writes?|reads?)/"
    r"(?:s|sec|second|min|minute|h|hour|day)\b"
)
_VALUE_RX = {
    "rate": _RATE_VALUE,
    "load": _RATE_VALUE,
    "pool": _POOLED,
    "timeout": _TIME,
    "lifetime": _TIME,
    "size": re.compile(r"(?i)(?<![\w.])\d[\d,.]*\s*(?:kb|mb|gb|tb|kib|mib|gib|bytes?)\b"),
    "status": _STATUS,
    "count": _NUM_UNIT,
}


def limit_values(text: str, kind: str) -> list[str]:
    """The figures a line states for a limit of ``kind`` (``100 req/sec``, ``30s``, ``429``), as written."""
    rx = _VALUE_RX.get(kind)
    if rx is None or (kind == "status" and not _STATUS_CONTEXT.search(text)):
        return []
    return list(dict.fromkeys(" ".join(m.group(0).split()).rstrip(",.") for m in rx.finditer(text)))


_COMPARATOR = (
    r"(?:under|within|at\s+most|no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|below|over|above|"
    r"at\s+least|more\s+than|exactly|up\s+to|≤|<=|<|≥|>=|>)"
)
_COUNT_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|once|twice)"
_THRESHOLD = re.compile(
    rf"(?i)(?<![\w<>=])(?:{_COMPARATOR}\s*(?:\d[\d,.]*(?:\s*%|\s*[a-z][\w/-]*)?|{_COUNT_WORD}\b(?:\s+[a-z][\w-]*)?)"
    rf"|^\W*(?:zero|no|none\s+of\s+the)\s+[a-z][\w-]*|\b(?:never|every|all|100\s*%)\b"
    rf"|\b(?:before|after|by|until)\s+\d{{1,2}}:\d\d(?:\s*[A-Z]{{2,4}}\b)?)"
)
"""What a success criterion measures against: a comparator and its figure (``under 15 minutes``, ``no more
than 100 emails``, ``exactly one reminder``), or a count word that is one (``Zero reminders``, ``every``)."""


def criterion_threshold(text: str) -> str:
    """The threshold a success criterion states, as written, or ``""`` when it states none to measure."""
    m = _THRESHOLD.search(text)
    if m:
        return " ".join(m.group(0).split()).strip(" ,.")
    figures = [value for kind in KINDS for value in limit_values(text, kind)]
    return figures[0] if figures else ""


def scenario_figures(text: str) -> list[str]:
    """The figures of a criterion that set its scene rather than its threshold (``50,000 overdue loans`` in
    ``Selecting ... for 50,000 overdue loans takes under 15 minutes``)."""
    threshold = criterion_threshold(text)
    rest = text.replace(threshold, " ") if threshold else text
    out = []
    for kind in KINDS:
        if kind in ("timeout", "lifetime", "status"):
            continue  # a duration or a status code is what is measured, not the scene
        for value in limit_values(rest, kind):
            if value not in out and not any(value in other or other in value for other in out):
                out.append(value)
    return out


_FIGURE = re.compile(r"(?<![\w.:])(\d[\d,]*)(?:\.0+)?(?:\.\d+)?(?:\s*-?\s*([a-z]+))?", re.IGNORECASE)
_NOT_UNITS = frozenset("a an and or of to in at on the per for more less than is are".split())


def figures_of(text: str) -> set[str]:
    """The figures of a text with the first letters of their unit (``50,000 loans`` -> ``50000 loan``,
    ``160-character`` and ``160 characters`` -> ``160 char``, ``$500.00 or more`` -> ``500``): a number meets
    another only when their units agree, so ``100 ms`` is not ``100 req/sec``."""
    out = set()
    for number, unit in _FIGURE.findall(text):
        unit = unit.lower() if unit and unit.lower() not in _NOT_UNITS else ""
        out.add(f"{number.replace(',', '')} {unit[:4]}".strip())
    return out


def shared_figures(a: set[str], b: set[str]) -> int:
    """How many figures of ``a`` appear in ``b`` (a figure without a unit meets the same number with any)."""
    numbers_b = {figure.split()[0] for figure in b}
    return sum(1 for figure in a if figure in b or (" " not in figure and figure in numbers_b))
