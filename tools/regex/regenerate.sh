#!/bin/sh
# Java 17's rows for a list of "pattern<TAB>input" lines (tools/regex/JavaOracle.java explains the
# encoding): tools/regex/regenerate.sh tools/regex/issue14-cases.txt >> tests/data/regex-cases.tsv
set -eu
here=$(dirname "$0")
java -version 2>&1 | grep -q '"17\.' || { echo "regenerate.sh: needs Java 17 as 'java'" >&2; exit 1; }
exec java "$here/JavaOracle.java" < "${1:?usage: regenerate.sh LIST}"
