#!/bin/sh
# Run the core test suite on another CPython: scripts/test-python.sh 3.13
#
# The interpreter comes from pyenv ($PYENV_ROOT/versions/<version>.*); one that is
# not installed is skipped with a message. It gets its own venv (.venv-<version>)
# with cgplan and its dev tools, and runs every test except the notebooks checked
# by nbval, the browser tests and the tests that run notebooks on Jupyter kernels.
set -eu
version="$1"
root="${PYENV_ROOT:-$HOME/.pyenv}"
python=$(ls -d "$root"/versions/"$version".*/bin/python3 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$python" ]; then
    echo "skipped: CPython $version is not installed under $root/versions"
    exit 0
fi
venv=".venv-$version"
echo "core suite on $("$python" --version) ($python)"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e '.[dev]'
"$venv/bin/python" -m pytest -p no:nbval -o addopts= -m "not browser and not jupyter" tests
