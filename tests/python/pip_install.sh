#!/usr/bin/env bash
# `pip install --no-build-isolation .`, as the README says, into a fresh venv made with
# --system-site-packages (so setuptools, wheel and pybind11 are Debian's), from a copy of the source
# tree (pip writes egg-info and build files into the tree it installs); then the module is imported
# from elsewhere and checks an expression. The module is built in BUILD_DIR (ECSQ_CMAKE_BUILD_DIR),
# an up-to-date tree, so this takes seconds; a build from scratch compiles the library again.
# Arguments: SOURCE_DIR WORK_DIR PYTHON BUILD_DIR
set -euo pipefail
source_dir=$1 work=$2 python=$3 build_dir=$4
rm -rf "$work"
mkdir -p "$work/source"
for part in CMakeLists.txt setup.py pyproject.toml README.md cmake include src grammar data python; do
  cp -r "$source_dir/$part" "$work/source/"
done
rm -rf "$work/source/python/ecsq/__pycache__"
"$python" -m venv --system-site-packages "$work/venv"
ECSQ_CMAKE_BUILD_DIR=$build_dir "$work/venv/bin/python" -m pip install --no-build-isolation --no-index --no-deps -q \
  "$work/source"
cd "$work"
"$work/venv/bin/python" - "$work/venv" <<'PYTHON'
import pathlib
import sys

import ecsq

venv = pathlib.Path(sys.argv[1]).resolve()
location = pathlib.Path(ecsq.__file__).resolve()
assert venv in location.parents, f"ecsq imported from {location}, not from the venv {venv}"
assert (location.parent / "py.typed").exists() and (location.parent / "__init__.pyi").exists()
query = ecsq.check("attribute:ecs.os-type == linux")
instance = {"ec2InstanceId": "i-1", "attributes": [{"name": "ecs.os-type", "value": "linux"}]}
assert query.matches(instance), "the installed module evaluates wrongly"
print(f"installed ecsq {ecsq.__version__} at {location.parent}: 1 passed, 0 failed")
PYTHON
