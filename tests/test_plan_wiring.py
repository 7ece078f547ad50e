"""The planner wires each component to the stars its own text names, and tests only real failures.

Measured against annotations written by hand from the documents (``annotations.json`` in a fixture
folder, ``tests/fixtures/example-annotations.json`` for the bundled example): per component the stars it
integrates with directly (and, sparingly, those that could go either way); per star which Error
Handling bullets are failures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cgplan import load
from cgplan.load.fields import norm_key
from cgplan.plan.build import build_plan
from cgplan.plan.failures import is_failure
from cgplan.plan.testcases import failure_mode

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    path.parent.name: path.parent
    for path in sorted((ROOT / "tests" / "fixtures" / "folders").glob("*/annotations.json"))
}
ANNOTATIONS = {name: folder / "annotations.json" for name, folder in FOLDERS.items()}
if (ROOT / "tests" / "fixtures" / "example-annotations.json").is_file():
    FOLDERS["example"] = ROOT / "data"
    ANNOTATIONS["example"] = ROOT / "tests" / "fixtures" / "example-annotations.json"


def annotated_plans():
    """``(folder name, construction, gap, plan, annotation of the gap, star annotations)`` for every annotated gap."""
    for name in sorted(FOLDERS):
        notes = json.loads(ANNOTATIONS[name].read_text(encoding="utf-8"))
        construction = load(FOLDERS[name])
        for gap in construction.gaps:
            if gap.slug in notes["gaps"]:
                yield name, construction, gap, build_plan(construction, gap), notes["gaps"][gap.slug], notes["stars"]


def same_bullet(a: str, b: str) -> bool:
    return norm_key(a) == norm_key(b)


def test_enough_folders_are_annotated() -> None:
    assert len(FOLDERS) >= 5, sorted(FOLDERS)


def test_wiring_precision_and_recall() -> None:
    predicted = right = direct = found = 0
    wrong: list[str] = []
    missed: list[str] = []
    for name, _construction, gap, plan, notes, _stars in annotated_plans():
        for component in plan.components:
            annotated = notes["components"].get(component.name)
            if annotated is None:
                continue
            stars = {use.name for use in component.stars}
            allowed = set(annotated["direct"]) | set(annotated.get("either", []))
            predicted += len(stars)
            right += len(stars & allowed)
            direct += len(annotated["direct"])
            found += len(stars & set(annotated["direct"]))
            wrong += [f"{name}/{gap.slug}/{component.name}: {star}" for star in sorted(stars - allowed)]
            missed += [
                f"{name}/{gap.slug}/{component.name}: {star}" for star in sorted(set(annotated["direct"]) - stars)
            ]
    precision = right / predicted if predicted else 1.0
    recall = found / direct if direct else 1.0
    print(f"wiring precision {precision:.3f} ({right}/{predicted}), recall {recall:.3f} ({found}/{direct})")
    assert precision >= 0.95, f"precision {precision:.3f}; wired but not annotated: {wrong}"
    assert recall >= 0.90, f"recall {recall:.3f}; annotated but not wired: {missed}"


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_failure_bullets_are_told_from_the_rest(name: str) -> None:
    notes = json.loads(ANNOTATIONS[name].read_text(encoding="utf-8"))
    construction = load(FOLDERS[name])
    wrong = []
    for star_name, annotated in notes["stars"].items():
        star = construction.star(star_name)
        assert star is not None, f"{name}: annotated star {star_name!r} is not in the map"
        for bullet in star.errors:
            if any(same_bullet(bullet.text, text) for text in annotated["failures"]):
                expected = True
            elif any(same_bullet(bullet.text, text) for text in annotated["not_failures"]):
                expected = False
            else:
                pytest.fail(f"{name}: {star_name}: bullet not annotated: {bullet.text!r}")
            if is_failure(bullet.text) != expected:
                wrong.append(f"{star_name}: {bullet.text!r} (annotated {'a failure' if expected else 'no failure'})")
    assert wrong == []


def test_no_failure_test_for_a_non_failure_and_failure_recall() -> None:
    non_failures_tested: list[str] = []
    expected = covered = 0
    uncovered: list[str] = []
    out_of_scope_tested: list[str] = []
    for name, construction, gap, plan, notes, stars in annotated_plans():
        titles = {test.title for test in plan.tests if test.kind == "failure"}
        wired = {use.name for component in plan.components for use in component.stars}
        # failures of an area of a star the gap does not use (a webhook failure for a gap that only calls the API)
        out_of_scope = notes.get("out_of_scope", [])
        for star_name in sorted(wired):
            annotated = stars.get(star_name, {"failures": [], "not_failures": []})
            star = construction.star(star_name)
            for bullet in star.errors:
                title = f"Failure Mode from {star_name}: {failure_mode(bullet.text)}"
                if any(same_bullet(bullet.text, text) for text in annotated["not_failures"]):
                    if title in titles:
                        non_failures_tested.append(f"{name}/{gap.slug}: {star_name}: {bullet.text!r}")
                elif any(same_bullet(bullet.text, text) for text in out_of_scope):
                    if title in titles:
                        out_of_scope_tested.append(f"{name}/{gap.slug}: {star_name}: {bullet.text!r}")
                elif any(same_bullet(bullet.text, text) for text in annotated["failures"]):
                    expected += 1
                    if title in titles:
                        covered += 1
                    else:
                        uncovered.append(f"{name}/{gap.slug}: {star_name}: {bullet.text!r}")
    recall = covered / expected if expected else 1.0
    print(f"failure-mode recall {recall:.3f} ({covered}/{expected}); non-failures tested: {len(non_failures_tested)}")
    assert non_failures_tested == []
    assert out_of_scope_tested == []
    assert recall >= 0.90, uncovered


from cgplan.plan.naming import VERBS, words  # noqa: E402
from cgplan.plan.signatures import AGENT_VERBS  # noqa: E402

_FIXED_WORDS = {
    "handles",
    "integrates",
    "with",
    "meets",
    "keeps",
    "n",
    "test",
    "run",
    "once",
    "start",
    "stop",
    "call",
    "handle",
}
_FUNCTION_WORDS = {"of", "the", "for", "as", "a", "an", "to", "and", "or", "in", "on", "at", "by", "with", "from"}


def _name_words(name: str) -> list[str]:
    from cgplan.plan.naming import words

    return [w for part in name.split("_") for w in words(part) if w]


def test_generated_names_are_whole_words_of_the_documents():
    import re

    bad = []
    for name, _construction, _gap, plan, _notes, _stars in annotated_plans():
        folder = FOLDERS[name] / "construction"
        vocabulary = set(_FIXED_WORDS) | VERBS | set(AGENT_VERBS.values())
        for path in folder.rglob("*.md"):
            for token in re.findall(r"[A-Za-z0-9]+", path.read_text(encoding="utf-8")):
                vocabulary.add(token.lower())
                vocabulary.update(words(token))
                vocabulary.update(part.lower() for part in re.findall(r"[A-Za-z]+", token))
        names = [test.name for test in plan.tests] + [sig.name for comp in plan.components for sig in comp.signatures]
        for generated in names:
            parts = _name_words(generated)
            unknown = [w for w in parts if w not in vocabulary and not w.isdigit()]
            if unknown or parts[-1] in _FUNCTION_WORDS or len(generated) > 64:
                bad.append(f"{name}/{plan.gap}: {generated} {unknown}")
    assert bad == []


def test_every_test_calls_a_component_wired_to_its_star():
    wrong = []
    for name, _construction, gap, plan, notes, _stars in annotated_plans():
        for test in plan.tests:
            if test.kind == "criterion" or not test.star:
                continue
            for component in test.components:
                annotated = notes["components"].get(component)
                if annotated is None:
                    continue
                if test.star not in set(annotated["direct"]) | set(annotated.get("either", [])):
                    wrong.append(f"{name}/{gap.slug}: {test.name} calls {component}, not wired to {test.star}")
    assert wrong == []


def test_gap_constraints_go_to_the_components_they_shape() -> None:
    """Each gap constraint sits under the components whose work it limits (or in the Overview, ``(gap)``, for one
    that limits the whole gap), as annotated by hand; never every constraint under every component."""
    predicted = right = direct = found = 0
    wrong: list[str] = []
    missed: list[str] = []
    for name, _construction, gap, plan, notes, _stars in annotated_plans():
        for text, annotated in notes.get("constraints", {}).items():
            placed = {comp.name for comp in plan.components if any(con.text == text for con in comp.constraints_gap)}
            if any(c.text == text for c in plan.gap_constraints):
                placed.add("(gap)")
            assert placed, f"{name}/{gap.slug}: constraint {text!r} is nowhere in the plan"
            allowed = set(annotated["direct"]) | set(annotated["either"])
            predicted += len(placed)
            right += len(placed & allowed)
            direct += len(annotated["direct"])
            found += len(placed & set(annotated["direct"]))
            wrong += [f"{name}/{gap.slug}: {text!r} under {where}" for where in sorted(placed - allowed)]
            missed += [
                f"{name}/{gap.slug}: {text!r} not under {where}" for where in annotated["direct"] if where not in placed
            ]
    precision = right / predicted if predicted else 1.0
    recall = found / direct if direct else 1.0
    print(
        f"constraint placement precision {precision:.3f} ({right}/{predicted}), recall {recall:.3f} ({found}/{direct})"
    )
    assert predicted, "no constraint annotations found"
    # a constraint no component's own words tie to goes to the Overview: a miss here, but still in the plan
    assert precision >= 0.9, wrong
    assert recall >= 0.75, missed
