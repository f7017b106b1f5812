"""Builds the ecsq Python module with the project's own CMake, for `pip install --no-build-isolation .`.

setuptools drives CMake: the extension ecsq._ecsq is the CMake target ecsq_python (python/), built
against the interpreter running this script, with the library and nothing else (no tests,
benchmarks, CLI or install rules); the pure-Python files come from python/ecsq. Nothing is
downloaded: pybind11, the compiler and the library's dependencies are the system's packages.

ECSQ_CMAKE_BUILD_DIR names an already configured build tree (configured with -DECSQ_PYTHON=ON for
the same interpreter) to build the target in instead of a fresh one; the ctest of this script
uses it so as not to compile the library a second time.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    """The version CMakeLists.txt's project() declares: the one place it is written."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(ecsq VERSION ([0-9.]+)", text)
    if not match:
        raise RuntimeError("CMakeLists.txt: no project(ecsq VERSION ...)")
    return match.group(1)


class CMakeBuild(build_ext):
    """Configures and builds the CMake target ecsq_python, then copies the module where setuptools wants it."""

    def build_extension(self, ext: Extension) -> None:
        destination = Path(self.get_ext_fullpath(ext.name)).resolve()
        given = os.environ.get("ECSQ_CMAKE_BUILD_DIR")
        build = Path(given).resolve() if given else Path(self.build_temp).resolve() / "cmake"
        if not given:
            configure = [
                "cmake", "-S", str(ROOT), "-B", str(build),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DECSQ_PYTHON=ON",
                "-DECSQ_BUILD_TESTS=OFF",
                "-DECSQ_BUILD_BENCHMARKS=OFF",
                "-DECSQ_BUILD_CLI=OFF",
                "-DECSQ_INSTALL=OFF",
                f"-DPython3_EXECUTABLE={sys.executable}",
            ]
            if shutil.which("ccache"):
                configure.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
            subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build), "--target", "ecsq_python", "-j", jobs], check=True)
        built = sorted((build / "python" / "ecsq").glob("_ecsq*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one built module _ecsq*.so in {build / 'python' / 'ecsq'}, found {built}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], destination)


setup(
    version=project_version(),
    ext_modules=[Extension("ecsq._ecsq", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build/setuptools"}},
)
