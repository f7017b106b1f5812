# The typed stub (__init__.pyi) names what the module has, and the module what the stub promises.
import ast
import pathlib

import ecsq


def stub_tree() -> ast.Module:
    path = pathlib.Path(ecsq.__file__).with_name("__init__.pyi")
    return ast.parse(path.read_text(encoding="utf-8"))


def test_every_stubbed_name_exists():
    missing = []
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef) and not hasattr(ecsq, node.name):
            missing.append(node.name)
        if isinstance(node, ast.ClassDef):
            cls = getattr(ecsq, node.name, None)
            if cls is None:
                missing.append(node.name)
                continue
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name != "__init__" and not hasattr(cls, member.name):
                    missing.append(f"{node.name}.{member.name}")
                if isinstance(member, ast.AnnAssign) and issubclass(cls, BaseException) is False and not hasattr(
                        cls, member.target.id):
                    missing.append(f"{node.name}.{member.target.id}")
    assert missing == []


def test_every_public_name_is_stubbed():
    stubbed = {node.name for node in stub_tree().body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    public = {name for name in ecsq.__all__ if not name.startswith("_")}
    assert public - stubbed == set()


def test_the_package_is_marked_typed():
    assert pathlib.Path(ecsq.__file__).with_name("py.typed").exists()
