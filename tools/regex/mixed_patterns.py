#!/usr/bin/env python3
"""Random Java patterns mixing the assertions ecsq compiles away (\\b \\B \\X \\R ^ $, flags m d U s)
with quantifiers, three inputs each, as "pattern<TAB>input" lines for regenerate.sh.

The "Issue 14: generated mix" rows of tests/data/regex-cases.tsv are 240 of Java's answers to
  mixed_patterns.py 14 > a.txt; mixed_patterns.py 15 --dense > b.txt   (then regenerate.sh)
sampled at random, 160 with a match and 80 without, leaving out the three where Java's find
stops inside a surrogate pair (docs/language.md §7). Inputs spell \\r and \\n as two characters,
which JavaOracle reads literally."""
import random
import sys

ATOMS = ['.', 'a', 'b', '\\X', '\\X', '\\b', '\\B', '\\w', '[a-z]', '\\u0301', '\\r', '\\n', '\\R', '$', '^', ':',
         ' ', '\\p{M}', '\\x{1F1E6}', '[^a]', '\\x{1F600}', '\\u200D']
DENSE = ['.', '.', '\\X', '\\X+', '\\b', '\\B']  # shorter patterns, more matches
CHARS = ['a', 'b', 'e', '\\u0301', '\\u0903', '\\r', '\\n', ' ', ':', '\\u0600', '\\uD83C\\uDDE6', '\\uD83C\\uDDE7',
         '\\uD83D\\uDE00', '\\u200D', '\\u1100', '\\u1161', '\\u11A8', '\\uAC00', '_', '1', '\\u0663', '\\u2028',
         '\\u00E9', 'x']
FLAGS = ['', '', '', '(?m)', '(?U)', '(?d)', '(?s)', '(?md)']


def pattern(atoms, most, depth=0):
    out = ''
    for _ in range(random.randint(1, most)):
        if random.random() < 0.15 and depth < 2:
            inner = pattern(atoms, most, depth + 1)
            if random.random() < 0.3:
                inner += '|' + pattern(atoms, most, depth + 1)
            out += '(?:' + inner + ')'
        else:
            out += random.choice(atoms)
        q = random.random()
        out += '*' if q < 0.12 else '+' if q < 0.22 else '?' if q < 0.28 else '{2}' if q < 0.32 else '{1,3}' if q < 0.34 else ''
    return out


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 14
    dense = '--dense' in sys.argv
    random.seed(seed)
    atoms, most = (DENSE + ATOMS, 3) if dense else (ATOMS, 4)
    lines = []
    while len(lines) < 4000:
        p = random.choice(FLAGS) + pattern(atoms, most)
        for _ in range(3):
            lines.append(p + '\t' + ''.join(random.choice(CHARS) for _ in range(random.randint(0, 6))))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
