"""Every shell command the README shows runs as written, on a copy of the repository.

The convention (also stated in a comment at the top of README.md):

* Only fenced blocks whose info string is ``sh``, ``bash``, ``shell`` or
  ``console`` hold commands. In ``console`` blocks only the lines that start
  with ``$ `` are commands (the rest is their output); in the others every line
  is a command, except blank lines and ``#`` comments, and a line ending in
  ``\\`` continues on the next. Output samples go in plain fences, configuration
  in ``yaml`` / ``toml`` / ``python`` blocks: those are never run.
* The commands run in README order, each with ``bash -c`` in the copy's root,
  and each must exit 0; a command meant to fail says so with a trailing
  ``# exits N`` comment.
* Not run: the set-up commands (``make example``, ``make test``, ``make setup``:
  they build the ``.venv`` the copy borrows) and commands that start a server
  (``jupyter lab``), which would never return.

The copy holds the files git tracks or would track (so uncommitted work is
tested too) and borrows the checkout's ``.venv`` through a symbolic link, so no
environment is built; ``cgplan`` is not on ``PATH``, as on a fresh clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

SHELL_INFO = {"sh", "bash", "shell", "console"}
"""Info strings of the fenced blocks whose lines are shell commands."""
SETUP = ("make example", "make test", "make setup")
"""Set-up commands: they build the environment the copy borrows, so they are not run."""
SERVERS = ("jupyter lab", "jupyter-lab", "jupyter notebook")
"""Commands that start a server and never return."""
_EXITS = re.compile(r"#\s*exits\s+(\d+)\s*$")


@dataclass
class Command:
    line: int
    """1-based line in the README."""
    text: str
    """The command, continuation lines joined."""

    @property
    def expected_exit(self) -> int:
        m = _EXITS.search(self.text)
        return int(m.group(1)) if m else 0

    @property
    def skipped(self) -> str | None:
        """Why the command is not run, or ``None``."""
        words = " ".join(self.text.split())
        if any(words == s or words.startswith(s + " ") for s in SETUP):
            return "set-up command"
        if any(s in words for s in SERVERS):
            return "starts a server"
        return None


def shell_commands(markdown: str) -> list[Command]:
    """The shell commands of ``markdown``'s ``sh`` / ``bash`` / ``shell`` / ``console`` blocks, in order."""
    out: list[Command] = []
    fence: tuple[str, str] | None = None  # (the fence's characters, its info word)
    pending: Command | None = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        if fence is None:
            m = re.match(r"^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)", line)
            if m:
                fence = (m.group(1), m.group(2).lower())
            continue
        if re.fullmatch(re.escape(fence[0][0]) + f"{{{len(fence[0])},}}", stripped):
            fence = None
            pending = None
            continue
        if fence[1] not in SHELL_INFO:
            continue
        if pending is not None:
            pending.text += "\n" + line
        else:
            if fence[1] == "console":
                if not stripped.startswith("$ "):
                    continue
                stripped = stripped[2:].strip()
            if not stripped or stripped.startswith("#"):
                continue
            pending = Command(number, stripped)
            out.append(pending)
        if pending.text.endswith("\\"):
            continue
        pending = None
    return out


# --------------------------------------------------------------------------- the extractor


SAMPLE = """\
# Title

```sh
make example   # sets up .venv
.venv/bin/cgplan plan --all \\
    --dir data
# a comment line

.venv/bin/cgplan check --dir nowhere  # exits 2
```

```yaml
tests:
  SC1.2: x
```

```
gap    status
```

````markdown
```sh
not a command: inside a markdown example
```
````

```console
$ .venv/bin/cgplan gaps --dir data
  1  stripe-api-rate-limiter
```

~~~bash
.venv/bin/jupyter lab notebooks/plan_gap.ipynb
~~~
"""


def test_only_shell_blocks_count_and_their_commands_are_found_in_order():
    got = [(c.line, c.text, c.expected_exit, c.skipped) for c in shell_commands(SAMPLE)]
    assert got == [
        (4, "make example   # sets up .venv", 0, "set-up command"),
        (5, ".venv/bin/cgplan plan --all \\\n    --dir data", 0, None),
        (9, ".venv/bin/cgplan check --dir nowhere  # exits 2", 2, None),
        (28, ".venv/bin/cgplan gaps --dir data", 0, None),
        (33, ".venv/bin/jupyter lab notebooks/plan_gap.ipynb", 0, "starts a server"),
    ]


def test_the_readme_shows_commands_to_run():
    commands = shell_commands(README.read_text(encoding="utf-8"))
    assert [c.text for c in commands if c.skipped == "set-up command"][:2] == [
        "make example   # sets up .venv, writes one plan per gap of the bundled example, shows their status",
        "make test      # sets up .venv with the test tools and runs the whole test suite",
    ]
    runnable = [c for c in commands if not c.skipped]
    assert len(runnable) >= 4
    bare = [c.text for c in runnable if re.match(r"(cgplan|python|pytest|jupyter)\b", c.text)]
    assert not bare, f"write these as .venv/bin/...: {bare}"


# --------------------------------------------------------------------------- running them


def _copy_of_the_repository(dest: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "surrogateescape")
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if not src.is_file() or src.is_symlink() and not src.exists():
            continue  # deleted in the work tree
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, target)
    (dest / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    return dest


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    venv = str(ROOT / ".venv")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(venv))
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "CONDA_PREFIX"):
        env.pop(key, None)
    env["HOME"] = str(home)  # a command's files in ~ stay in the test's folder
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    return env


@pytest.mark.slow
@pytest.mark.jupyter
def test_every_readme_command_runs_as_written(tmp_path):
    if not (ROOT / ".venv" / "bin" / "cgplan").exists():
        pytest.skip("no .venv in the checkout: run make setup")
    repo = _copy_of_the_repository(tmp_path / "repo")
    home = tmp_path / "home"
    home.mkdir()
    env = _env(home)
    failures = []
    ran = 0
    for cmd in shell_commands((repo / "README.md").read_text(encoding="utf-8")):
        if cmd.skipped:
            continue
        # a folder the README writes under /tmp is the test's own, so a run never meets an earlier run's files
        text = re.sub(r"/tmp/(?=\w)", f"{tmp_path}/tmpdir/", cmd.text)
        proc = subprocess.run(["bash", "-c", text], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
        ran += 1
        if proc.returncode != cmd.expected_exit:
            tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-3:]
            failures.append(f"README.md:{cmd.line}: `{cmd.text}` exited {proc.returncode}: {' | '.join(tail)}")
    assert ran >= 4
    assert not failures, "\n".join(failures)
