"""cgplan trace and cgplan scaffold: the naming rule, finding tests in code, JUnit reports, the table, the gates.

Expectations are written by hand: tests/fixtures/trace/code/expected.json lists the
tests of real-looking source files, tests/fixtures/trace/junit/expected.json the
results of reports in the shapes pytest, Node, gotestsum and Maven Surefire write,
and tests/fixtures/trace/folder holds a plan written by hand (Python, tests named in
code blocks, a validation table).
"""

from __future__ import annotations

import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

import cgplan
from cgplan.cli import main
from cgplan.errors import CgplanError, InputError
from cgplan.reports.junit import read_junit
from cgplan.reports.testnames import find_tests_in_text, lang_test_name, name_key
from cgplan.reports.trace import render, trace_rows

FIX = Path(__file__).parent / "fixtures" / "trace"
FOLDER = FIX / "folder"


# --------------------------------------------------------------------------- the naming rule

RULE = [
    # planned name, python, javascript/typescript title, go, java
    ("handles_redis_cache_primary_failover", "test_handles_redis_cache_primary_failover",
     "handles_redis_cache_primary_failover",
     "TestHandlesRedisCachePrimaryFailover", "handlesRedisCachePrimaryFailover"),
    ("Load test with 500 rps", "test_load_test_with_500_rps", "Load test with 500 rps",
     "TestLoadTestWith500Rps", "loadTestWith500Rps"),
    ("queue_delay_p90_under_2s", "test_queue_delay_p90_under_2s", "queue_delay_p90_under_2s",
     "TestQueueDelayP90Under2s", "queueDelayP90Under2s"),
    ("429 rate limit", "test_429_rate_limit", "429 rate limit", "Test429RateLimit", "test429RateLimit"),
    ("test_counts_requests", "test_counts_requests", "test_counts_requests", "TestCountsRequests", "countsRequests"),
    ("HTTPServer down", "test_http_server_down", "HTTPServer down", "TestHttpServerDown", "httpServerDown"),
]  # fmt: skip


@pytest.mark.parametrize("planned,py,js,go,java", RULE)
def test_one_rule_names_a_planned_test_in_every_language(planned, py, js, go, java):
    assert lang_test_name(planned, "python") == py
    assert lang_test_name(planned, "javascript") == js
    assert lang_test_name(planned, "typescript") == js
    assert lang_test_name(planned, "go") == go
    assert lang_test_name(planned, "java") == java


@pytest.mark.parametrize("planned,py,js,go,java", RULE)
def test_trace_applies_the_rule_in_reverse(planned, py, js, go, java):
    assert name_key(py) == name_key(js) == name_key(go) == name_key(java) == name_key(planned)


def test_different_tests_keep_different_keys():
    assert name_key("handles_redis_down") != name_key("handles_redis_slow")
    assert name_key("TestFoo") == name_key("foo") != name_key("TestFooBar")


# --------------------------------------------------------------------------- finding tests in code

EXT_LANG = {".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go", ".java": "java"}


@pytest.mark.parametrize("rel", sorted(json.loads((FIX / "code" / "expected.json").read_text())))
def test_tests_are_found_by_language_aware_patterns(rel):
    expected = json.loads((FIX / "code" / "expected.json").read_text())[rel]
    path = FIX / "code" / rel
    found = find_tests_in_text(path.read_text(), EXT_LANG[path.suffix], rel)
    assert [[t.line, t.name, t.markers] for t in found] == expected


# --------------------------------------------------------------------------- JUnit XML


@pytest.mark.parametrize("rel", sorted(json.loads((FIX / "junit" / "expected.json").read_text())))
def test_junit_results_in_every_runners_shape(rel):
    expected = json.loads((FIX / "junit" / "expected.json").read_text())[rel]
    cases = read_junit(FIX / "junit" / rel)
    assert [[c.name, c.result] for c in cases] == expected


def test_malformed_xml_is_one_line_naming_file_and_line(tmp_path):
    bad = tmp_path / "report.xml"
    bad.write_text('<?xml version="1.0"?>\n<testsuite>\n  <testcase name="a">\n</testsuite>\n')
    with pytest.raises(InputError) as exc:
        read_junit(bad, "report.xml")
    assert str(exc.value).startswith("report.xml:4: not well-formed XML")
    assert "\n" not in str(exc.value)


def test_a_report_of_something_else_is_refused(tmp_path):
    other = tmp_path / "pom.xml"
    other.write_text("<project><modelVersion>4.0.0</modelVersion></project>")
    with pytest.raises(InputError, match="root element <project> is not a JUnit report"):
        read_junit(other)


def test_entity_expansion_is_refused_before_it_expands(tmp_path):
    lol = tmp_path / "lol.xml"
    ents = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    lol.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE testsuite [\n'
        + "\n".join(ents)
        + '\n]>\n<testsuite><testcase name="&a9;"/></testsuite>\n'
    )
    with pytest.raises(InputError, match="declares a document type or entities"):
        read_junit(lol)
    ext = tmp_path / "ext.xml"
    ext.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<testsuite><testcase name="&x;"/></testsuite>\n'
    )
    with pytest.raises(InputError, match="declares a document type"):
        read_junit(ext)


def test_a_huge_report_is_streamed(tmp_path):
    big = tmp_path / "big.xml"
    blob = ("x" * 1023 + "\n") * 10240  # 10 MB of captured output per test
    with big.open("w") as fh:
        fh.write('<?xml version="1.0"?>\n<testsuites><testsuite name="s">\n')
        for i in range(3):
            fh.write(f'<testcase name="test_{i}"><system-out>{blob}</system-out></testcase>\n')
        fh.write('<testcase name="test_last"><failure message="boom">x</failure></testcase>\n')
        fh.write("</testsuite></testsuites>\n")
    assert big.stat().st_size > 30_000_000
    tracemalloc.start()
    try:
        cases = read_junit(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(c.name, c.result) for c in cases] == [
        ("test_0", "passed"),
        ("test_1", "passed"),
        ("test_2", "passed"),
        ("test_last", "failed"),
    ]
    assert peak < 2_000_000


# --------------------------------------------------------------------------- the trace table


@pytest.fixture
def folder():
    return cgplan.load(FOLDER)


def _rows(t):
    return [(r.kind, r.criterion_id, r.test, r.found, r.result) for r in t.rows]


def test_trace_of_a_hand_written_plan_against_python_tests(folder, monkeypatch):
    monkeypatch.chdir(FIX / "code")
    t = trace_rows(folder, tests=["python"], junit=[FIX / "junit" / "pytest.xml"], gaps=["1"])
    assert _rows(t) == [
        ("criterion", "SC1.1", "sustains_500_rps_for_10_minutes", "python/test_checkout.py:15", "failed"),
        ("criterion", "SC1.2", "stripe_sees_at_most_100_per_second", "", "not run"),
        ("criterion", "SC1.2", "test_counts_requests_in_redis_window", "python/test_checkout.py:10", "passed"),
        ("criterion", "SC1.3", "queue_delay_p90_under_2s", "python/test_checkout.py:20", "skipped"),
        ("criterion", "SC1.4", "passes_through_when_redis_down", "python/test_checkout.py:32", "passed"),
        ("integration", "", "test_counts_requests_in_redis_window", "python/test_checkout.py:10", "passed"),
        ("failure", "", "passes_through_when_redis_down", "python/test_checkout.py:32", "passed"),
    ]
    (s,) = t.summary
    assert s.cells() == [
        "stripe-api-rate-limiter",
        "construction/design/code-generation-plan-stripe-api-rate-limiter.md",
        4,
        4,
        3,
        1,
        "1/1",
        "1/1",
    ]
    assert t.failing("mapped") == []
    assert t.failing("found") == ["stripe-api-rate-limiter SC1.2"]
    assert t.failing("passing") == [
        "stripe-api-rate-limiter SC1.1",
        "stripe-api-rate-limiter SC1.2",
        "stripe-api-rate-limiter SC1.3",
    ]


def test_trace_across_languages_and_reports(folder, monkeypatch):
    monkeypatch.chdir(FIX / "code")
    t = trace_rows(folder, tests=["js", "ts", "go", "java"], junit=[FIX / "junit"], gaps=["1"])
    assert _rows(t) == [
        ("criterion", "SC1.1", "sustains_500_rps_for_10_minutes",
         "java/RateLimiterTest.java:27, js/checkout.test.js:20", "failed"),
        ("criterion", "SC1.2", "stripe_sees_at_most_100_per_second",
         "java/RateLimiterTest.java:21", "passed"),  # the file named like the plan's test file
        ("criterion", "SC1.2", "test_counts_requests_in_redis_window", "js/checkout.test.js:9", "passed"),
        ("criterion", "SC1.3", "queue_delay_p90_under_2s",
         "java/RateLimiterTest.java:34, js/checkout.test.js:15", "passed"),  # skipped in Node, passed in Java
        ("criterion", "SC1.4", "passes_through_when_redis_down",
         "go/limiter_test.go:24, ts/limiter.spec.ts:6", "failed"),
        ("integration", "", "test_counts_requests_in_redis_window", "js/checkout.test.js:9", "passed"),
        ("failure", "", "passes_through_when_redis_down", "go/limiter_test.go:24, ts/limiter.spec.ts:6", "failed"),
    ]  # fmt: skip
    assert [s.verified for s in t.summary] == [2]


def test_a_decisions_file_renames_a_criterion_test(tmp_path, monkeypatch):
    dest = tmp_path / "folder"
    shutil.copytree(FOLDER, dest)
    (dest / "construction" / "design" / "decisions").mkdir()
    (dest / "construction" / "design" / "decisions" / "stripe-api-rate-limiter.yaml").write_text(
        "tests:\n  SC1.1: drain_keeps_up_with_peak\n"
    )
    code = tmp_path / "code"
    code.mkdir()
    (code / "test_peak.py").write_text("def test_drain_keeps_up_with_peak():\n    pass\n")
    monkeypatch.chdir(tmp_path)
    t = trace_rows(cgplan.load(dest), tests=[code], gaps=["1"])
    first = t.rows[0]
    assert (first.criterion_id, first.test, first.found) == ("SC1.1", "drain_keeps_up_with_peak", "code/test_peak.py:1")


def test_tests_outside_the_given_folders_are_not_found(folder, tmp_path, monkeypatch):
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (outside / "test_out.py").write_text("def test_sustains_500_rps_for_10_minutes():\n    pass\n")
    (inside / "escape").symlink_to(outside, target_is_directory=True)
    (inside / "test_link.py").symlink_to(outside / "test_out.py")
    monkeypatch.chdir(tmp_path)
    t = trace_rows(folder, tests=[inside], gaps=["1"])
    assert all(r.found == "" for r in t.rows)
    assert len(t.notes) == 2
    assert all("outside" in n and "not searched" in n for n in t.notes)


def test_table_fits_100_columns_and_other_formats_carry_every_field(folder, monkeypatch):
    monkeypatch.chdir(FIX / "code")
    t = trace_rows(folder, tests=["python"], junit=[FIX / "junit" / "pytest.xml"])
    table = render(t, "table")
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "stripe-api-rate-limiter" in table and "SC1.4" in table
    data = json.loads(render(t, "json"))
    assert data["rows"][0]["found"] == "python/test_checkout.py:15"
    assert data["summary"][0]["verified"] == 1
    csv_text = render(t, "csv")
    assert csv_text.splitlines()[0] == "gap,kind,criterion_id,criterion,test,plan,found,code_name,result"
    md = render(t, "markdown")
    assert md.startswith("| gap | criterion | kind | test | plan | found | result |")


def test_cli_require_gates_exit_1_and_names_the_criteria(monkeypatch, capsys):
    monkeypatch.chdir(FIX / "code")
    args = ["trace", "1", "--dir", str(FOLDER), "--tests", "python", "--junit", str(FIX / "junit" / "pytest.xml")]
    assert main([*args, "--require", "mapped"]) == 0
    capsys.readouterr()
    assert main([*args, "--require", "passing"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith("3 criteria not passing: stripe-api-rate-limiter SC1.1")


def test_cli_bad_report_is_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "r.xml"
    bad.write_text("<testsuites><testcase")
    assert main(["trace", "--dir", str(FOLDER), "--tests", str(tmp_path), "--junit", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "r.xml:1: not well-formed XML" in err
    assert main(["trace", "--dir", str(FOLDER), "--tests", str(tmp_path / "nope")]) == 2


def test_dataframe_for_notebooks(folder, monkeypatch):
    monkeypatch.chdir(FIX / "code")
    df = cgplan.trace(folder, tests=["python"], junit=[FIX / "junit" / "pytest.xml"], gaps=["1"])
    assert list(df["result"]) == ["failed", "not run", "passed", "skipped", "passed", "passed", "passed"]
    assert df.attrs["summary"][0]["verified"] == 1


# --------------------------------------------------------------------------- scaffold


def test_scaffold_never_overwrites_and_exits_1(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--out", str(out)]) == 0
    test_file = out / "tests" / "test_rate_limiter.py"
    source = out / "app" / "ratelimit" / "limiter.py"
    assert test_file.is_file() and source.is_file()
    test_file.write_text("# mine\n")
    capsys.readouterr()
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--out", str(out)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith("skipped") for line in lines) and len(lines) == 2
    assert test_file.read_text() == "# mine\n"


def test_scaffold_refuses_links_out_of_the_folder(tmp_path, capsys):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "app").symlink_to(elsewhere, target_is_directory=True)
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--out", str(out)]) == 1
    assert "refused" in capsys.readouterr().out
    assert list(elsewhere.iterdir()) == []
    assert (out / "tests" / "test_rate_limiter.py").is_file()


def test_scaffold_stubs_carry_the_context_block_and_signatures(tmp_path):
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--out", str(out)]) == 0
    source = (out / "app" / "ratelimit" / "limiter.py").read_text()
    assert source.startswith('"""\nCONSTELLATION CONTEXT\nImplements: Stripe API Rate Limiter')
    assert "Star: Redis Cache (constellation-map.md § Star: Redis Cache)" in source
    assert "async def admit_request(request_id: str, now_ms: int) -> bool:" in source
    assert 'raise NotImplementedError("not implemented: drain_once")' in source
    compile(source, "limiter.py", "exec")
    tests = (out / "tests" / "test_rate_limiter.py").read_text()
    assert tests.count("raise NotImplementedError(") == 5
    assert "def test_sustains_500_rps_for_10_minutes():" in tests


def test_scaffold_in_another_language_says_it_converted(tmp_path):
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--out", str(out), "--lang", "typescript"]) == 0
    source = (out / "app" / "ratelimit" / "limiter.ts").read_text()
    assert "Signatures converted from the plan's python to typescript" in source
    assert "export async function admit_request(request_id: string, now_ms: number): Promise<boolean> {" in source
    assert "throw new Error('not implemented: admit_request');" in source


def test_names_with_markup_stay_text(tmp_path, capsys):
    dest = tmp_path / "folder"
    shutil.copytree(FOLDER, dest)
    plan = dest / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md"
    plan.write_text(
        plan.read_text().replace("`sustains_500_rps_for_10_minutes`", '`</script><b>peak</b> it\'s \\"500\\" rps`')
    )
    out = tmp_path / "out"
    assert main(["scaffold", "1", "--dir", str(dest), "--out", str(out), "--lang", "javascript"]) == 0
    js = next((out / "tests").glob("*.test.js")).read_text()
    assert "it('</script><b>peak</b> it\\'s" in js
    capsys.readouterr()
    assert main(["trace", "1", "--dir", str(dest), "--tests", str(out), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "<b>" not in md and "\\<b\\>peak" in md


def test_scaffold_path_out_of_the_project_is_refused(tmp_path, capsys):
    dest = tmp_path / "folder"
    shutil.copytree(FOLDER, dest)
    plan = dest / "construction" / "design" / "code-generation-plan-stripe-api-rate-limiter.md"
    plan.write_text(plan.read_text().replace("`app/ratelimit/limiter.py`", "`../../outside.py`"))
    assert main(["scaffold", "1", "--dir", str(dest), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "outside the project" in err
    assert not (tmp_path / "outside.py").exists() and not (tmp_path / "out").exists()


def test_scaffold_a_gap_without_plan_is_a_usage_error(tmp_path):
    with pytest.raises(CgplanError, match="has no plan"):
        from cgplan.reports.scaffold import scaffold_files

        scaffold_files(cgplan.load(FOLDER), ["2"])


def test_notebook_chart_splits_criteria_into_four_states_and_escapes_names():
    from cgplan.jupyter.trace_views import segments, trace_chart_svg
    from cgplan.reports.trace import GapSummary

    s = GapSummary("<b>gap</b>", "plan.md", criteria=7, mapped=6, found=4, verified=1)
    assert segments(s) == {"verified": 1, "found": 3, "mapped": 2, "unmapped": 1}
    svg = trace_chart_svg([s, GapSummary("other", "no plan", criteria=2)])
    assert "<b>" not in svg and "&lt;b&gt;gap&lt;/b&gt;" in svg
    assert svg.count("<rect") == 1 + 4 + 1 + 4  # background, four segments, one unmapped bar, legend
    assert "1/7 verified" in svg and "0/2 verified" in svg


def test_scaffold_stdout_prints_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["scaffold", "1", "--dir", str(FOLDER), "--stdout"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("=== tests/test_rate_limiter.py ===\n")
    assert "=== app/ratelimit/limiter.py ===" in out
    assert list(tmp_path.iterdir()) == []
    assert main(["scaffold", "1", "--dir", str(FOLDER)]) == 2


def test_scaffold_all_passes_over_gaps_without_a_plan_and_says_so(tmp_path, capsys):
    assert main(["scaffold", "--all", "--dir", str(FOLDER), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("written ") == 2
    assert "skipped gap webhook-idempotency-guard: no plan" in captured.err


def test_trace_runs_without_pandas(tmp_path):
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from cgplan.cli import main\n"
        f"rc = main(['trace', '--dir', {str(FOLDER)!r}, '--tests', {str(FIX / 'code')!r}, '--format', 'json'])\n"
        "assert rc == 0, rc\n"
        "import cgplan\n"
        "try:\n"
        f"    cgplan.trace({str(FOLDER)!r})\n"
        "except cgplan.UsageError as exc:\n"
        "    print('ERR', exc)\n"
    )
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.split("\nERR ")[0])["summary"][0]["criteria"] == 4
    assert run.stdout.rstrip().endswith(
        "ERR cgplan.trace needs pandas (install the notebook extra, or use trace_rows() / `cgplan trace`)"
    )


def test_other_xml_in_a_report_folder_is_passed_over(folder, tmp_path, monkeypatch):
    reports = tmp_path / "target"
    shutil.copytree(FIX / "junit" / "surefire-reports", reports / "surefire-reports")
    (reports / "checkstyle-result.xml").write_text('<?xml version="1.0"?><checkstyle version="10.3"/>')
    monkeypatch.chdir(FIX / "code")
    t = trace_rows(folder, tests=["java"], junit=[reports], gaps=["1"])
    assert t.rows[0].result == "failed"  # sustains500RpsFor10Minutes: one run failed
    assert t.notes == [f"{reports / 'checkstyle-result.xml'}: not a JUnit report; not read"]
    with pytest.raises(InputError, match="is not a JUnit report"):
        trace_rows(folder, tests=["java"], junit=[reports / "checkstyle-result.xml"])
