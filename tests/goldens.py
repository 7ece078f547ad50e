"""Golden outputs: the plans and check findings of every fixture folder and of the example.

For each folder, ``tests/goldens/<name>/`` holds the ``plan --format md`` and
``plan --format json`` output of every gap (``<slug>.md``, ``<slug>.json``) and
the ``check --format json`` output of a copy of the folder once ``plan --all``
has written its plans (``check.json``). ``test_goldens.py`` compares them byte
for byte; ``python -m tests.goldens`` rewrites them, which is done only in a
commit that says why the output changed.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDENS = ROOT / "tests" / "goldens"
FIXTURES = ROOT / "tests" / "fixtures"


def golden_folders() -> dict[str, Path]:
    """Name -> folder holding ``construction/``, for the example and every fixture folder."""
    folders = {"example": ROOT / "data", "seed-rate-limiter": FIXTURES / "seed-rate-limiter"}
    for path in sorted((FIXTURES / "folders").iterdir()):
        if (path / "construction").is_dir():
            folders[path.name] = path
    return folders


def run_cli(*argv: str) -> tuple[int, str]:
    """Run ``cgplan ARGV`` in this process: ``(exit code, stdout)``."""
    from cgplan.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(argv))
    return code, out.getvalue()


def copy_inputs(source: Path, dest: Path) -> Path:
    """Copy a folder's input documents (no plans, decisions or executed notebooks) to ``dest``."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("code-generation-plan-*", "decisions", "notebooks"))
    return dest


def outputs(folder: Path) -> dict[str, str]:
    """File name -> text of every golden output of one folder."""
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_inputs(folder, Path(tmp) / "folder")
        code, listing = run_cli("gaps", "--dir", str(work))
        assert code == 0, listing
        slugs = [line.split()[1] for line in listing.splitlines() if line.strip()]
        result: dict[str, str] = {}
        for slug in slugs:
            for fmt in ("md", "json"):
                code, text = run_cli("plan", slug, "--stdout", "--format", fmt, "--dir", str(work))
                assert code == 0, text
                result[f"{slug}.{fmt}"] = text
        run_cli("plan", "--all", "--dir", str(work))
        _, text = run_cli("check", "--format", "json", "--dir", str(work))
        result["check.json"] = text
        return result


def main() -> int:
    for name, folder in golden_folders().items():
        dest = GOLDENS / name
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for file_name, text in outputs(folder).items():
            (dest / file_name).write_text(text, encoding="utf-8", newline="")
        print(f"{name}: {len(list(dest.iterdir()))} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
