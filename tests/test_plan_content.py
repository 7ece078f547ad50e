"""The plan carries every star, limit, constraint and criterion the documents state, each cited, and no other star."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from plantext import CITE, bold_stars, cited_lines, map_citations_unknown, visible

from cgplan import load
from cgplan.plan.build import build_plan, find_gap
from cgplan.plan.failures import area_of, is_failure
from cgplan.plan.limits import star_limits
from cgplan.render.document import render_markdown

ROOT = Path(__file__).resolve().parent.parent
CASES = json.loads((Path(__file__).parent / "fixtures" / "plan-facts.json").read_text(encoding="utf-8"))


def _plan(case):
    c = load(ROOT / case["dir"])
    gap = find_gap(c, case["gap"])
    return c, gap, build_plan(c, gap), render_markdown(build_plan(c, gap))


@pytest.fixture(params=sorted(CASES), ids=sorted(CASES))
def case(request):
    return CASES[request.param]


def test_every_listed_fact_is_in_the_plan_with_a_citation(case):
    _c, _g, _p, text = _plan(case)
    lines = cited_lines(text)
    for fact in case["facts"]:
        assert any(fact in ln for ln in lines), f"{fact!r} missing or uncited"


def test_a_gap_star_no_component_names_is_an_open_question(case):
    _c, _g, plan, _text = _plan(case)
    for start in case.get("open_questions", []):
        assert any(note.startswith(start) for note in plan.notes), f"no open question starting {start!r}"


def test_every_listed_star_is_named_and_cited(case):
    _c, _g, plan, text = _plan(case)
    assert set(case["stars"]) <= set(plan.stars)
    for star in case["stars"]:
        assert f"- **{star}** (constellation-map.md § Star: {star})" in visible(text)


def test_names_no_star_the_map_lacks(case):
    c, _g, plan, text = _plan(case)
    names = {s.name for s in c.stars}
    assert bold_stars(text) <= names
    assert set(plan.stars) <= names
    assert map_citations_unknown(text, [s.source.section for s in c.stars]) == []


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/seed-rate-limiter"])
def test_every_gap_constraint_criterion_and_star_limit_appears_cited(folder):
    c = load(ROOT / folder)
    for gap in c.gaps:
        plan = build_plan(c, gap)
        lines = cited_lines(render_markdown(plan))
        facts = [t.text for t in gap.constraints] + [sc.text for sc in gap.success_criteria]
        for comp in plan.components:
            for su in comp.stars:
                star = c.star(su.name)
                facts += [t.text for _label, t, _kind in star_limits(star) if not _of_unused_area(t.text, star, gap, c)]
        for fact in facts:
            assert any(fact in ln for ln in lines), f"{gap.slug}: {fact!r} missing or uncited"


def test_every_criterion_maps_to_a_named_test(example):
    c = load(example)
    for gap in c.gaps:
        text = visible(render_markdown(build_plan(c, gap)))
        validation = text.split("### Success Criteria Validation", 1)[1].split("\n## ", 1)[0]
        for sc in gap.success_criteria:
            line = next(ln for ln in validation.split("\n") if ln.startswith(f"- [ ] {sc.id}: "))
            assert sc.text in line and CITE.search(line) and '— Test: "' in line


def test_proposals_are_marked(example):
    c = load(example)
    text = render_markdown(build_plan(c, c.gaps[0]))
    for line in text.split("\n"):
        if line.startswith("**File:** ") or line.startswith("#### Function: ") or line.startswith("#### Class: "):
            assert line.endswith("*(proposed)*"), line


def test_a_gap_without_a_sketch_still_gets_a_grounded_plan(tmp_path):
    from planfolders import make_folder

    make_folder(tmp_path, ["Audit Log"])
    sk = tmp_path / "construction" / "design" / "implementation-sketches.md"
    sk.write_text("# Implementation Sketches: Test System\n\nNone yet.\n", encoding="utf-8")
    c = load(tmp_path)
    text = visible(render_markdown(build_plan(c, c.gaps[0])))
    assert "## Component 1: AuditLog" in text
    assert "has no sketch" in text
    assert "- **Redis Cache** (constellation-map.md § Star: Redis Cache)" in text


def test_unresolved_star_reference_is_reported_not_used(tmp_path):
    from planfolders import make_folder

    make_folder(tmp_path, ["Audit Log"])
    gaps = tmp_path / "construction" / "requirements" / "gap-analysis.md"
    gaps.write_text(
        gaps.read_text(encoding="utf-8").replace("- **Redis Cache** via sorted sets", "- **Kafka Bus** via topics"),
        encoding="utf-8",
    )
    c = load(tmp_path)
    plan = build_plan(c, c.gaps[0])
    text = render_markdown(plan)
    assert "Kafka Bus" not in plan.stars and "**Kafka Bus**" not in text
    assert "'Kafka Bus'" in text and "matches no star" in text


FOLDERS = [
    "data",
    "tests/fixtures/seed-rate-limiter",
    *sorted(
        f"tests/fixtures/folders/{p.name}" for p in (ROOT / "tests" / "fixtures" / "folders").iterdir() if p.is_dir()
    ),
]


def _out_of_area(text: str, gap, c) -> bool:
    area = area_of(text)
    sketch = c.sketch_for(gap) if area else None
    said = f"{gap.name} {gap.missing_capability} {' '.join(t.text for t in gap.constraints)}"
    said += f" {sketch.data_flow} {' '.join(cp.description for cp in sketch.components)}" if sketch else ""
    return bool(area) and area.lower().rstrip("s") not in said.lower()


def _of_unused_area(text: str, star, gap, c) -> bool:
    """A fact naming an area of the star (a lead of its Error Handling, ``Webhooks``) the gap does not use."""
    areas = {area_of(b.text) for b in star.errors} - {""}
    return any(area.lower().rstrip("s") in text.lower() and _out_of_area(f"{area}: x", gap, c) for area in areas)


def _once_facts(c, gap, plan) -> list[str]:
    """Facts to state in full exactly once (test headings may name a failure mode):
    gap constraints, error handling and criteria, star limits and failure modes."""
    facts = (
        [t.text for t in gap.constraints]
        + [t.text for t in gap.integration_points.errors]
        + [sc.text for sc in gap.success_criteria]
    )
    for name in {su.name for comp in plan.components for su in comp.stars}:
        star = c.star(name)
        # operations notes (backups, alerting, logging, success responses) are left out on purpose
        facts += [t.text for _label, t, _kind in star_limits(star) if not _of_unused_area(t.text, star, gap, c)]
        # and failures of an area of the star the gap does not use (``Bounces: ...`` for a gap that only sends)
        users = [comp for comp in plan.components if any(use.name == name for use in comp.stars)]
        writers = [
            comp for comp in users if re.search(r"(?i)writ|insert|updat|stor|sav|record|publish", comp.description)
        ]
        writers += [
            comp for comp in users if plan.flow and any(e.src == comp.name and e.dst == name for e in plan.flow.edges)
        ]
        senders = [comp for comp in users if re.search(r"(?i)\bsend", comp.description)]
        senders += [
            comp for comp in users if plan.flow and any(e.src == comp.name and e.dst == name for e in plan.flow.edges)
        ]
        facts += [
            t.text
            for t in star.errors
            if is_failure(t.text)
            and not _out_of_area(t.text, gap, c)
            and (writers or not re.match(r"(?i)\W*writes?\b", t.text))  # a write failure for readers only
            and (senders or not re.search(r"(?i)when sending|not delivered|queue overflow", t.text))
        ]
    return list(dict.fromkeys(f for f in facts if len(f.split()) >= 4))


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_fact_is_stated_in_full_once_per_section_and_cited(folder):
    """Each component section stands on its own (a code generator writes one file from it): a fact that applies
    to two components is stated under both, never twice in one section, and never replaced by a pointer."""
    c = load(ROOT / folder)
    for gap in c.gaps:
        plan = build_plan(c, gap)
        # the test skeletons' Setup / Action / Assert comments quote the documents on purpose
        text = _outside_fences(visible(render_markdown(plan)))
        assert not re.search(r"as (?:under|in) Component \d", text), gap.slug
        sections = text.split("\n## ")
        facts = _once_facts(c, gap, plan)
        for fact in facts:
            longer = [f for f in facts if fact in f and f != fact]
            total = 0
            for section in sections:
                hits = [
                    ln
                    for ln in section.split("\n")
                    if fact in ln and not any(f in ln for f in longer) and not ln.startswith("#### Test ")
                ]
                assert len(hits) <= 1, f"{gap.slug}: {fact!r} stated {len(hits)} times in one section"
                assert all(CITE.search(hit) for hit in hits), f"{gap.slug}: {fact!r} uncited"
                total += len(hits)
            assert total, f"{gap.slug}: {fact!r} missing"


def _outside_fences(text: str) -> str:
    return re.sub(r"(?ms)^(`{3,})[^\n]*\n.*?^\1\s*$", "", text)


def _component_text(text: str, number: int) -> str:
    return text.split(f"\n## Component {number}: ", 1)[1].split("\n## ", 1)[0]


def test_error_handling_names_only_the_failure_modes_of_the_stars_the_function_touches(example):
    c = load(example)
    plan = build_plan(c, find_gap(c, "1"))
    text = visible(render_markdown(plan))
    client = _component_text(text, 2)
    assert [su.name for su in plan.components[1].stars] == ["Stripe API"]
    errors = client.split("**Error Handling:**\n", 1)[1].split("\n\n", 1)[0].split("\n")
    assert (
        "- card_declined (402): never retried; the decline code is shown to the shopper "
        "(constellation-map.md § Star: Stripe API)" in errors
    )
    assert not any("Star: Redis Cache" in ln or "Star: API Gateway" in ln for ln in errors)
    worker = _component_text(text, 3)
    assert "- Primary failover: 30–60 seconds of connection errors" in worker  # Redis Cache's, in full
    assert "card_declined" not in worker


def test_purpose_is_the_component_description_cited_from_its_sketch(example):
    c = load(example)
    for gap in c.gaps:
        text = visible(render_markdown(build_plan(c, gap)))
        assert text.count(gap.missing_capability) == 1, gap.slug
        sketch = c.sketch_for(gap)
        for comp in sketch.components:
            purpose = text.split(f": {comp.name}\n\n### Purpose\n", 1)[1].split("\n### ", 1)[0]
            assert f"{comp.description} ({sketch.source.cite()})" in purpose


def test_constraint_meanings_carry_the_stated_figures_and_no_filler(example):
    c = load(example)
    for gap in c.gaps:
        text = visible(render_markdown(build_plan(c, gap)))
        assert "acceptance condition" not in text and "derived from:" not in text
        for block in text.split("**These Constraints Mean:**\n")[1:]:
            for line in block.split("\n\n", 1)[0].split("\n"):
                assert line.startswith("- ") and (re.search(r"\d", line) or "earlier ones" in line), line


def test_a_star_used_by_two_components_is_described_under_both(example):
    c = load(example)
    text = visible(render_markdown(build_plan(c, find_gap(c, "1"))))
    uses = "  - Uses: sorted sets (ZADD, ZPOPMIN, ZCOUNT) and atomic INCR/EXPIRE counters"
    assert uses in _component_text(text, 1) and uses in _component_text(text, 3)


def test_patterns_are_three_short_lines_pointing_to_the_star(example):
    c = load(example)
    text = visible(render_markdown(build_plan(c, find_gap(c, "1"))))
    block = (
        _component_text(text, 1).split("**Constellation Patterns to Follow:**\n", 1)[1].split("\n\n", 1)[0].split("\n")
    )
    assert [ln.split(":", 1)[0] for ln in block] == ["- Naming", "- Auth", "- Errors"]
    assert "verbNounMiddleware naming convention… (constellation-map.md § Star: API Gateway (Express))" in block[0]


@pytest.mark.parametrize(
    "text,kind,values",
    [
        ("Send at most 100 emails per minute", "rate", ["100 emails per minute"]),
        ("Send at most 4 SMS per second from the long code", "rate", ["4 SMS per second"]),
        ("An SMS reminder must fit in one 160-character segment", "count", ["160-character segment"]),
        ("Messages over 160 GSM-7 characters are split into segments", "count", ["160 GSM-7 characters"]),
        ("429 Too Many Requests: back off", "status", ["429"]),
        ("Returns 409 when the slot is taken", "status", ["409"]),
        ("Stripe remembers keys for 24 hours", "lifetime", ["24 hours"]),
        ("Standby lags up to 10 s under the fines batch", "lifetime", ["10 s"]),
        ("Statement timeout: queries over 30 s are cancelled", "timeout", ["30 s"]),
        ("p95 under 300 ms", "timeout", ["300 ms"]),
    ],
)
def test_quantities_are_read_by_unit_and_context(text, kind, values):
    """A number is a status code only where the text speaks of a status; rates and counts keep their unit."""
    from cgplan.plan.limits import limit_kind, limit_values

    assert limit_kind(text) == kind
    assert limit_values(text, kind) == values


@pytest.mark.parametrize(
    "folder,gap,ready,reasons",
    [
        ("data", "1", True, []),
        # SC4.3 "Every executed refund has a decision row ..." is measurable: all of them, counted; Auth0 Identity
        # reaches the components whose text works on its roles (support_agent, finance_approver)
        ("data", "4", True, []),
        ("tests/fixtures/folders/aliases-and-problems", "Refund Eligibility Checker", False, ["Kafka Event Bus"]),
        ("tests/fixtures/folders/aliases-and-problems", "Restocking Ledger Sync", False, ["no sketch"]),
    ],
)
def test_readiness_says_what_keeps_a_plan_from_code_generation(folder, gap, ready, reasons):
    construction = load(ROOT / folder)
    plan = build_plan(construction, find_gap(construction, gap))
    line = next(ln for ln in render_markdown(plan).split("\n") if ln.startswith("**Readiness:**"))
    assert line.startswith("**Readiness:** Ready for code generation" if ready else "**Readiness:** Not ready: ")
    for reason in reasons:
        assert reason in line


def test_rejected_alternatives_and_reasons_reach_the_overview():
    construction = load(ROOT / "data")
    text = render_markdown(build_plan(construction, find_gap(construction, "4")))
    assert "- Managed approval workflow service — rejected: " in text
    assert "- No star stores pending refund decisions (gap-analysis.md § Gap 4: Refund Approval Workflow)" in text


def test_the_diagram_has_one_node_per_component_or_star_and_lists_what_it_leaves_out(example):
    from cgplan.plan.flow import mermaid_text

    construction = load(example)
    plan = build_plan(construction, find_gap(construction, "1"))
    assert '    redis_cache["Redis Cache"]' in plan.mermaid
    assert '-->|"ZPOPMIN every 100 ms"| queuedrainworker' in plan.mermaid
    assert "(ZPOPMIN" not in plan.mermaid.split("-->", 1)[0], "details are edge labels, not part of node names"
    for folder in FOLDERS:
        construction = load(ROOT / folder)
        for gap in construction.gaps:
            plan = build_plan(construction, gap)
            if not plan.mermaid:
                continue
            nodes = {line.split('["', 1)[1][:-2] for line in plan.mermaid.split("\n") if '["' in line}
            for name in [*(comp.name for comp in plan.components), *plan.stars]:
                assert mermaid_text(name) in nodes or name in plan.not_in_flow, (folder, gap.slug, name)


def test_a_stars_known_conflicts_reach_the_components_that_use_it():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    query = next(comp for comp in plan.components if comp.name == "OverdueQuery")
    conflicts = [con.text for con in query.constraints_star if con.label == "Known Conflicts"]
    assert any("fines batch" in text for text in conflicts)
    # a design decision of the sketch may name no star (``Statement timeout of 30 s: the query must stream``)
    assert all(con.star in {use.name for use in query.stars} for con in query.constraints_star if con.star)
    assert any("must stream" in con.text for con in query.constraints_star)


def test_a_sketch_decision_goes_to_the_component_it_names():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    where = {
        comp.name for comp in plan.components for con in comp.constraints_star if "paces at 90 per minute" in con.text
    }
    assert where == {"ReminderSender"}
    assert [c.text for c in plan.accepted_costs][0] == "a run killed halfway is not resumed until the next day"


@pytest.mark.parametrize(
    "phrase,lead,name",
    [
        (
            "No more than 100 emails are sent in any 60-second window",
            "meets",
            "meets_no_more_than_100_emails_sent_60_second_window",
        ),
        ("p95 booking latency under 400 ms", "meets", "meets_p95_booking_latency_under_400_ms"),
        (
            "Twilio SMS Error 30001 queue overflow: messages queued more than 4 hours are dropped",
            "handles",
            "handles_twilio_sms_error_30001_queue_overflow_messages",
        ),
    ],
)
def test_names_keep_negations_and_comparisons_and_never_end_on_a_dangling_word(phrase, lead, name):
    from cgplan.plan.naming import name_from_phrase

    assert name_from_phrase(phrase, lead=lead) == name


def test_gap_error_handling_goes_to_the_component_it_concerns():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    clause = construction.gaps[0].integration_points.errors[0].text
    assert "SendGrid" in clause
    holders = [
        comp.name for comp in plan.components for sig in comp.signatures if any(e.text == clause for e in sig.errors)
    ]
    assert holders == ["ReminderSender"]
    assert plan.gap_errors == []


def test_a_recovery_the_gap_states_is_the_failure_tests_assertion():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    test = next(t for t in plan.tests if t.kind == "failure" and "21610" in t.title)
    assert "the patron is skipped for the day" in test.approach
    assert not any("21610" in note for note in plan.notes)


@pytest.mark.parametrize(
    "folder,gap,receives,emits",
    [
        ("data", "4", ["RefundRequestController"], ["RefundExecutor"]),
        ("tests/fixtures/folders/label-drift", "Double-Booking Guard", ["SlotHoldService"], ["SlotHoldService"]),
    ],
)
def test_the_gaps_input_and_output_go_to_the_components_that_receive_and_emit_them(folder, gap, receives, emits):
    construction = load(ROOT / folder)
    plan = build_plan(construction, find_gap(construction, gap))
    inputs = [c.name for c in plan.components if any(i.label == "Integration Points: Input" for i in c.inputs)]
    outputs = [c.name for c in plan.components if any(o.label == "Integration Points: Output" for o in c.outputs)]
    assert inputs == receives
    assert outputs == emits


def _approach(plan, name: str) -> str:
    return next(test.approach for test in plan.tests if test.name == name)


def test_a_failure_asserts_a_stated_recovery_never_its_own_description():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    # "Missed start: a run not started within ... is skipped" describes the failure: Setup, and an Open Question
    missed = _approach(plan, "handles_cron_scheduler_missed_start")
    assert "is skipped" in missed.split("action:")[0]
    assert "documents state" not in missed
    # the sketch opens a clause with the failure's name: that is what the code does
    assert "the query must stream" in _approach(plan, "handles_postgres_catalog_db_statement_timeout")
    # the gap states the recovery for error 30007 by its number
    assert "patron is skipped for the day" in _approach(plan, "handles_twilio_sms_error_30007")
    # the star's own words say what to do
    assert "retry after 2 s" in _approach(plan, "handles_postgres_catalog_db_connection_refused_failover")


def test_an_outage_asserts_what_the_gap_says_happens_when_the_star_is_down():
    construction = load(ROOT / "data")
    plan = build_plan(construction, find_gap(construction, "1"))
    assert "fails open" in _approach(plan, "handles_redis_cache_primary_failover")
    # a clause that only states Stripe's limit is no recovery for a 429
    assert "back off exponentially" in _approach(plan, "handles_stripe_api_429_rate_limit")


def test_signatures_follow_the_language_and_the_data_flow():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Overdue Reminder Run"))
    assert plan.language == "python"  # psycopg and Django in the map
    code = {comp.name: comp.signatures[0].code for comp in plan.components}
    # snake_case in Python; the cron job that starts the query is no client it calls
    assert code["OverdueQuery"].startswith("async def overdue_query(")
    assert "cron" not in code["OverdueQuery"] and "postgres_catalog_db," in code["OverdueQuery"]
    assert "returns loans due before today, for ReminderComposer" in code["OverdueQuery"]
    # a pure step is not async, and takes what the flow hands it by the flow's own words
    assert code["ReminderComposer"].startswith("def compose_reminder(\n    loans,")
    assert "sendgrid_email_api," in code["ReminderSender"]


def test_a_table_the_sketch_names_with_its_columns_becomes_a_type():
    construction = load(ROOT / "tests/fixtures/folders/library-reminders")
    plan = build_plan(construction, find_gap(construction, "Reminder Preferences"))
    types = {ds.name: ds.code for comp in plan.components for ds in comp.data_structures}
    code = types["ReminderPreferences"]
    assert "patron_id: str" in code and "channel: str" in code and "updated_at: datetime" in code


def test_facts_of_an_area_of_a_star_the_gap_does_not_use_are_left_out(example):
    """The rate limiter only calls Stripe's API; Stripe's webhooks (an area its Error Handling names) are the
    webhook guard's business, and only that plan speaks of them."""
    c = load(example)
    limiter = visible(render_markdown(build_plan(c, find_gap(c, "1"))))
    guard = visible(render_markdown(build_plan(c, find_gap(c, "2"))))
    assert "webhook" not in limiter.lower()
    assert "Stripe-Signature" in guard


def test_a_gap_figure_the_sketch_restates_differently_is_an_open_question(tmp_path):
    import shutil

    folder = tmp_path / "library"
    shutil.copytree(ROOT / "tests/fixtures/folders/library-reminders", folder)
    sketches = folder / "construction" / "design" / "implementation-sketches.md"
    text = sketches.read_text(encoding="utf-8")
    sketches.write_text(
        text.replace("- 100 emails per minute; 4 SMS per second", "- 120 emails per minute; 4 SMS per second")
    )
    plan = build_plan(load(folder), find_gap(load(folder), "Overdue Reminder Run"))
    notes = [n for n in plan.notes if "restates" in n]
    assert len(notes) == 1
    assert "'Send at most 100 emails per minute' as '120 emails per minute'" in notes[0]
    # the documents as written restate every figure as the gap states it
    for folder in FOLDERS:
        c = load(ROOT / folder)
        assert not [n for g in c.gaps for n in build_plan(c, g).notes if "restates" in n], folder


def test_a_producer_gets_the_queues_send_failure_not_its_consumers(example):
    """OutboxRelay only sends to SQS: SQS's failure of sending is its test; the visibility timeout and the DLQ
    after 5 receives are the consumer's, not its."""
    c = load(example)
    plan = build_plan(c, find_gap(c, "2"))
    titles = [t.title for t in plan.tests if t.star == "Amazon SQS Order Queue" and t.kind == "failure"]
    assert titles == ["Failure Mode from Amazon SQS Order Queue: Send failures"]
