"""Plans and check findings stay byte for byte what tests/goldens/ holds (see tests/goldens.py)."""

from __future__ import annotations

import pytest

from tests.goldens import GOLDENS, golden_folders, outputs

FOLDERS = golden_folders()


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_outputs_match_goldens(name: str) -> None:
    expected = {path.name: path.read_bytes().decode("utf-8") for path in sorted((GOLDENS / name).iterdir())}
    actual = outputs(FOLDERS[name])
    assert sorted(actual) == sorted(expected), (
        "a gap appeared or vanished; regenerate with python -m tests.goldens and say why"
    )
    for file_name, text in expected.items():
        assert actual[file_name] == text, f"{name}/{file_name} differs from its golden"


def test_every_fixture_folder_has_goldens() -> None:
    assert sorted(p.name for p in GOLDENS.iterdir()) == sorted(FOLDERS)
