"""What each install brings: the core without pandas or Jupyter, the jupyter extra, and environment.yml in step."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cgplan.cli import main
from cgplan.extras import MissingExtra, require, require_all

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
HEAVY = ("pandas", "numpy", "nbformat", "nbclient", "papermill", "ipykernel", "ipywidgets", "IPython", "tqdm", "psutil")


def names(requirements) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_core_needs_neither_pandas_nor_jupyter():
    core = names(PROJECT["dependencies"])
    assert core == {"pyromark", "jinja2", "pyyaml", "tomli"}
    assert {"pandas", "nbformat", "papermill", "ipykernel", "ipywidgets"} <= names(
        PROJECT["optional-dependencies"]["jupyter"]
    )
    assert "cgplan[jupyter,lab]" in PROJECT["optional-dependencies"]["dev"]


def test_environment_yml_lists_what_pip_install_dev_installs():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    conda = [d for d in env if isinstance(d, str)]
    pip = next(d["pip"] for d in env if isinstance(d, dict))
    listed = {re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower(): r.replace(" ", "") for r in conda + pip}
    extras = PROJECT["optional-dependencies"]
    wanted = [*PROJECT["dependencies"], *extras["jupyter"], *extras["lab"], *extras["dev"]]
    for req in wanted:
        if req.startswith("cgplan["):
            continue
        name = names([req]).pop()
        spec = req.split(";")[0].replace(" ", "")
        assert listed.get(name) == spec, f"environment.yml should list {spec} (pyproject.toml has {req!r})"
    assert "-e ." in pip


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["plan", "--all", "--stdout"],
        ["status"],
        ["prompt", "1"],
        ["inspect"],
        ["gaps"],
        ["trace", "--format", "json"],
        ["scaffold", "1", "--stdout"],
    ],
)
def test_core_commands_import_no_notebook_package(argv):
    code = (
        "import contextlib, io, sys\n"
        "from cgplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({[*argv, '--dir', str(ROOT / 'data')]!r})\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.stdout.split(" ", 1)[1].strip() == "[]", proc.stdout + proc.stderr


def test_require_keeps_import_errors_of_modules_no_extra_brings():
    with pytest.raises(ModuleNotFoundError):
        require("cgplan_no_such_module_xyz", "the thing")


def hide(monkeypatch, *modules: str) -> None:
    """Make ``modules`` look uninstalled for this test (an import of them fails as it would without the extra)."""
    import importlib
    import importlib.util

    real_import = importlib.import_module
    real_find = importlib.util.find_spec

    def fake_import(name, *args, **kwargs):
        if name.split(".")[0] in modules:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    def fake_find(name, *args, **kwargs):
        return None if name.split(".")[0] in modules else real_find(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", fake_import)
    monkeypatch.setattr(importlib.util, "find_spec", fake_find)


def test_cgplan_batch_without_the_extra_says_which_to_install(monkeypatch, capsys):
    hide(monkeypatch, "papermill")
    assert main(["batch", "--dir", str(ROOT / "data")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "cgplan: error: cgplan batch needs papermill, which is not installed "
        "(install the jupyter extra: pip install 'cgplan[jupyter]')"
    )


def test_the_coverage_dataframe_without_pandas_says_which_extra_to_install(monkeypatch):
    import cgplan

    construction = cgplan.load(ROOT / "data")
    hide(monkeypatch, "pandas")
    with pytest.raises(MissingExtra) as exc:
        cgplan.coverage(construction)
    assert str(exc.value) == (
        "the coverage table needs pandas, which is not installed "
        "(install the jupyter extra: pip install 'cgplan[jupyter]')"
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_the_coverage_command_needs_no_pandas(monkeypatch, capsys, fmt):
    assert main(["coverage", "--dir", str(ROOT / "data"), "--format", fmt]) == 0
    with_pandas = capsys.readouterr().out
    hide(monkeypatch, "pandas")
    code = (
        "import sys; sys.modules['pandas'] = None\n"  # any import of pandas fails
        "from cgplan.cli import main\n"
        f"sys.exit(main(['coverage', '--dir', {str(ROOT / 'data')!r}, '--format', {fmt!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == with_pandas


def test_require_all_checks_without_importing(monkeypatch):
    hide(monkeypatch, "tqdm")
    with pytest.raises(MissingExtra) as exc:
        require_all(("json", "tqdm"), "a progress bar")
    assert str(exc.value) == (
        "a progress bar needs tqdm, which is not installed (install the jupyter extra: pip install 'cgplan[jupyter]')"
    )
