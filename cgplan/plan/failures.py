"""Which Error Handling bullets of a star describe a failure (and so deserve a failure-mode test).

A failure is something going wrong at the seam: an outage, a timeout, an error
code or response, exhaustion, failover, a rejection, a conflict, lost data,
throttling. Recovery procedures, backups, retention, alerting and paging
policy, where errors are logged, success responses and feature notes are not
failures: they are context for the component that handles the star.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FAILURE = re.compile(
    r"(?i)fail(?!over\b)|failover|outage|unavailable|unreachable|\bdown\b|time(?:s|d)?[ -]?out|"
    r"refus|reject|declin|exhaust|conflict|\blost\b|\bloss\b|throttl|rate[ -]limit|too many|quota|"
    r"expired|invalid|corrupt|crash|overload|overflow|partition|evict|stale|lag\b|blocked|filtered|deadlock|"
    r"retr(?:y|ies|ied)|redeliver|\b(?:un)?n?ack(?:ed|s)?\b|dead[- ]?letter|\bdlq\b|implausib|malformed|"
    r"re-?prompt|re-?authenticat|"
    r"denied|unauthori[sz]ed|forbidden|duplicate|not found|error|exception|\bfull\b|\bmiss(?:ed|es|ing)?\b|"
    r"(?<![\w.])[45](?:\d\d|xx)(?![\w.%])"
)
_NOT_FAILURE = re.compile(
    r"(?i)backup|point[- ]in[- ]time|\bpitr\b|retention|snapshot|\balert|\balarm|\bpag(?:ed|ing)\b|on-call|"
    r"\bautomatically\b|"
    r"dashboard|monitor|sentry|\blog(?:s|ged|ging)?\b|on success|succe(?:ss|eds)|"
    r"(?<![\w.])2\d\d(?![\w.%])|keywords?\b"
)

_NOT_FAILURE_LEAD = re.compile(
    r"(?i)^\W*(?:recovery|restores?|backups?|monitoring|alerting|alerts|logging|observability|retention|"
    r"notifications?|support|escalation|runbook)\b"
)


def is_operations_note(text: str) -> bool:
    """Whether an Error Handling bullet is about operations rather than the code: backups, retention,
    alerting, paging, logging, success responses (``Nightly backups with 7-day point-in-time recovery``)."""
    lead = re.split(r"\s*[:—–]\s+|\s+-\s+", text, maxsplit=1)[0]
    return not is_failure(text) and bool(_NOT_FAILURE_LEAD.match(lead) or _NOT_FAILURE.search(text))


def is_failure(text: str) -> bool:
    """Whether an Error Handling bullet describes something going wrong.

    The bullet's lead (the words before a ``:`` or dash) decides first: a lead
    naming a failure (``429 Too Many Requests: back off``) is one. Otherwise a
    bullet about backups, alerting, logging or success is not one, and any
    other bullet is a failure when it names one anywhere.
    """
    lead = re.split(r"\s*[:—–]\s+|\s+-\s+", text, maxsplit=1)[0]
    if lead != text and _NOT_FAILURE_LEAD.match(lead):
        return False
    if lead != text and _FAILURE.search(lead) and not _NOT_FAILURE.search(lead):
        return True
    if _NOT_FAILURE.search(text):
        return False
    return bool(_FAILURE.search(text))


_RECOVERY = re.compile(
    r"(?i)^\W*(?:(?:then|so|and)\s+)?(?:retry|retries|re-?try|wait|back\s*off|fall\s*back|failover\s+to|fail\s+over|"
    r"return|respond|reply|reject|refuse|skip|drop|discard|queue|re-?queue|enqueue|use|read|reconnect|refresh|"
    r"renew|re-?acquire|release|switch|resend|re-?send|poll|call|show|redirect|mark|record|count|pause|stop|"
    r"throttle|slow|raise|throw|abort|cancel|roll\s*back|alert|page|notify|escalate|serve|keep|hold|defer|"
    r"route|send|move|log\s+and|degrade|try|check|restart|re-?run|resume|park|flag)\b"
    r"|^\W*(?:the\s+)?(?:clients?|callers?|consumers?|you|we|senders?)\s+(?:must|should|can|may|need\s+to)\b"
)
"""A clause that says what to do about a failure (``retry after 2 s``, ``wait for X-RateLimit-Reset``), as
against one that only describes it (``queries over 30 s are cancelled``)."""


def is_recovery(clause: str) -> bool:
    """Whether the part of an Error Handling bullet after its lead tells the code what to do."""
    return bool(_RECOVERY.match(clause))


def area_of(text: str) -> str:
    """The area of a star an Error Handling bullet is about, when its lead names one rather than a failure
    (``Webhooks: redelivered with backoff for up to 3 days`` -> ``Webhooks``, ``Bounces: ...`` ->
    ``Bounces``); ``""`` when the lead names the failure itself (``429 rate_limit``, ``Missed start``)."""
    parts = re.split(r"\s*[:—–]\s+|\s+-\s+", text, maxsplit=1)
    if len(parts) < 2:
        return ""
    lead = parts[0].strip()
    if len(lead.split()) != 1 or re.search(r"\d", lead) or _FAILURE.search(lead):
        return ""  # a condition (``Memory pressure``, ``Slow upstreams``) is a failure of whatever uses the star
    return lead


_WRITE_FAILURE = re.compile(r"(?i)^\W*(?:late\s+)?(?:writes?|inserts?|updates?|upserts?|deletes?)\b")
_WRITE_WORDS = re.compile(
    r"(?i)\b(?:writ|insert|updat|upsert|delet|stor|sav|persist|record|append|mark|set\b|put\b|post\b|"
    r"creat|publish|upload|enqueue|push|increment|incr\b|zadd|hset|lpush)"
)
_SEND_FAILURE = re.compile(
    r"(?i)\bwhen sending\b|\bsending to\b|\bnot delivered\b|\bundelivered\b|\boutbound\b|"
    r"\bqueue overflow\b|\bmessages? (?:are )?waiting\b|\bbounce"
)
_SEND_WORDS = re.compile(r"(?i)\b(?:send|sends|sending|sent|deliver|notif|post|calls?\b|calling|publish|dispatch)")
_CONSUME_FAILURE = re.compile(
    r"(?i)visibility timeout|becomes visible again|\bafter \d+ receives\b|maxreceivecount|\bunack|"
    r"\bconsumer (?:lag|fails|crash)|\bpoison message"
)
_CONSUME_WORDS = re.compile(r"(?i)\b(?:consum|poll|receiv|subscrib|pulls?\b|pulling|listen|drain|dequeue|pops?\b)")

_OPERATIONS = {
    "write": (_WRITE_FAILURE, _WRITE_WORDS),
    "send": (_SEND_FAILURE, _SEND_WORDS),
    "consume": (_CONSUME_FAILURE, _CONSUME_WORDS),
}
"""Per operation a component may or may not perform on a star: the words of a failure that happens only in
that operation (``Writes to compressed chunks fail``, ``Error 21610 when sending``, ``Visibility timeout``),
and the words of a component's text that say it performs it (writes/stores, sends/posts, consumes/polls)."""


def operations_of(failure: str) -> list[str]:
    """The operations (``write``, ``send``, ``consume``) a failure happens in; empty for a failure any user of
    the star can meet."""
    return [operation for operation, (failure_words, _does) in _OPERATIONS.items() if failure_words.search(failure)]


def performs(operation: str, text: str, names: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether a component's text says it performs the operation (``writes``, ``sends``, ``polls``); the
    ``names`` of stars are left out first (the *Store* of ``TimescaleDB Readings Store`` is no write)."""
    return bool(_OPERATIONS[operation][1].search(_without(text, tuple(names))))


def _without(text: str, names: tuple[str, ...]) -> str:
    """``text`` with every one of ``names`` blanked out, longest first."""
    return _names_pattern(names).sub(" ", text) if names else text


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in ordered), re.IGNORECASE)
