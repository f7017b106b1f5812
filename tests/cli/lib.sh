# Helpers for the command-line tests: run ecsq, compare exit codes and output.
# Each test script is called as: bash test_x.sh PATH_TO_ECSQ SOURCE_DIR
set -uo pipefail
ECSQ=$1
SOURCE_DIR=$2
failures=0
checks=0

# run EXPECTED_EXIT ARGS... : runs ecsq, keeps stdout in $out and stderr in $err.
run() {
  local expected=$1
  shift
  out=$("$ECSQ" "$@" 2>/tmp/ecsq-cli-err.$$)
  local code=$?
  err=$(cat /tmp/ecsq-cli-err.$$)
  rm -f /tmp/ecsq-cli-err.$$
  checks=$((checks + 1))
  if [ "$code" != "$expected" ]; then
    echo "FAIL: ecsq $* exited $code, expected $expected"
    echo "stdout: $out"
    echo "stderr: $err"
    failures=$((failures + 1))
  fi
}

# expect_out TEXT : stdout of the last run equals TEXT exactly.
expect_out() {
  checks=$((checks + 1))
  if [ "$out" != "$1" ]; then
    echo "FAIL: expected stdout:"
    echo "$1"
    echo "got:"
    echo "$out"
    failures=$((failures + 1))
  fi
}

# expect_contains TEXT : stdout or stderr of the last run contains TEXT.
expect_contains() {
  checks=$((checks + 1))
  case "$out$err" in
    *"$1"*) ;;
    *)
      echo "FAIL: expected output to contain: $1"
      echo "stdout: $out"
      echo "stderr: $err"
      failures=$((failures + 1))
      ;;
  esac
}

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" = 0 ]
}
