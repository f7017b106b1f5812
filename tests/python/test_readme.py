# The README's Python example, run from the source tree so it cannot rot.
import contextlib
import io

import ecsq


def readme_python_block(source) -> str:
    lines = (source / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Python")
    opening = lines.index("```python", start)
    closing = lines.index("```", opening + 1)
    return "\n".join(lines[opening + 1:closing])


def test_the_readme_example_runs(source, monkeypatch):
    monkeypatch.chdir(source)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_python_block(source), "README.md", "exec"), {})
    # The sample service asks for seven tasks; the seventh fits nowhere (data/demo.sh shows the same).
    assert "was unable to place a task" in printed.getvalue()


def test_the_readme_install_check_prints_the_canonical_form():
    assert ecsq.check("ecs.os-type==linux").canonical == "attribute:ecs.os-type == linux"
