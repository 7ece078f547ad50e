"""``environment.yml`` (the conda route in README.md) installs what ``pip install -e '.[dev]'`` does.

conda itself cannot run here, so the test reads both files: every requirement of
pyproject.toml (its dependencies and every extra, whatever the extras are called)
must be in environment.yml, as a conda package or under ``pip:``, with the same
version bounds.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _pyproject() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [*project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        reqs.extend(extra)
    out = {}
    for text in reqs:
        req = Requirement(text)
        if canonicalize_name(req.name) != canonicalize_name(project["name"]):  # cgplan[extra]: its parts are here too
            out[canonicalize_name(req.name)] = req
    return out


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            lines.extend(dep.get("pip", []))
        else:
            lines.append(dep)
    out = {}
    for line in lines:
        if line.startswith("-"):  # pip options such as "-e ."
            continue
        req = Requirement(line.replace(" ", ""))
        out[canonicalize_name(req.name)] = str(req.specifier)
    return out


def test_environment_yml_lists_every_dependency_of_pyproject_with_its_bounds():
    wanted, listed = _pyproject(), _environment()
    assert len(wanted) >= 10
    missing = sorted(name for name in wanted if name not in listed)
    assert not missing, f"add to environment.yml: {', '.join(missing)}"
    differ = {name: (str(r.specifier), listed[name]) for name, r in wanted.items() if str(r.specifier) != listed[name]}
    assert not differ, f"version bounds differ (pyproject.toml, environment.yml): {differ}"


def test_environment_yml_installs_cgplan_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip
