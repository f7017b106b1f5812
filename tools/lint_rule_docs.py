"""Prints the per-rule sections of docs/language.md section 10 ("The lint rules one by one").

Usage: python3 tools/lint_rule_docs.py > /tmp/rules.md, then replace everything after the heading
"### The lint rules one by one" in docs/language.md with it. Reads the two catalogues,
include/ecsq/lint_rules.inc and include/ecsq/lint_rule_examples.inc; tests/test_lint_control.cpp
checks that every rule has its heading (the SARIF helpUri anchor) and examples there.
"""
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def c_string(body):
    """The value of a C string literal's body (escapes \\" \\\\ \\n \\uXXXX)."""
    return re.sub(r'\\(u[0-9A-Fa-f]{4}|.)',
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1).startswith("u") else
                  {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def entries(name, macro):
    """The arguments of each MACRO(...) in the file: adjacent string literals joined."""
    with open(os.path.join(ROOT, "include/ecsq", name), encoding="utf-8") as f:
        text = "\n".join(line for line in f.read().split("\n") if not line.lstrip().startswith("//"))
    out = []
    for match in re.finditer(macro + r"\((.*?)\)\n", text, re.S):
        args, current = [], ""
        for token in re.finditer(r'"((?:[^"\\]|\\.)*)"|([A-Za-z_]\w*)|(,)', match.group(1)):
            if token.group(3):
                args.append(current)
                current = ""
            else:
                current += c_string(token.group(1)) if token.group(1) is not None else token.group(2)
        args.append(current)
        out.append(args)
    return out


examples = {e[0]: e for e in entries("lint_rule_examples.inc", "ECSQ_LINT_RULE_EXAMPLE")}
sections = []
for _, rule_id, name, severity, _, explanation in entries("lint_rules.inc", "ECSQ_LINT_RULE"):
    section = f"### {rule_id} {name}\n\n{severity}. {explanation}\n"
    if rule_id in examples:
        _, bad, good = examples[rule_id]
        section += f"\nReported:\n\n```\n{bad}\n```\n\nFixed:\n\n```\n{good}\n```\n"
    sections.append(section)
print("\n".join(sections), end="")
