#!/bin/sh
# tests/run.sh -- the whole suite, as `make test` runs it (see tests/README.md).
#
#   1. build/test-runner: SQL tests, shell tests, C unit tests
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   3. every tests/suites/*.sh (interactive shell, other clients, ...)
#
# Every part ends with "N passed, N failed, N skipped"; this script ends
# with the sum over all of them in the same form.  Exit 1 on any failure (a
# suite that dies without its tally counts as one failure) and, when CI is
# set (to anything but empty or 0), on any skip too: a suite that cannot run
# (a missing tool) has tested nothing, and CI must not be green for it.
B=${B:-build}
ROOT=$(pwd)
export ROOT B
case "$B" in /*) BDIR=$B ;; *) BDIR=$ROOT/$B ;; esac
TERRITORY="$BDIR/territory"
TERRITORY_ASAN="$BDIR/asan/territory"
export TERRITORY TERRITORY_ASAN
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
LOG=$(mktemp -d /tmp/territory-run.XXXXXX)
trap 'rm -rf "$LOG"' EXIT
P=0
F=0
S=0

# run LABEL COMMAND...: show the output, tally its last
# "N passed, N failed, N skipped" (a line without ", N skipped" counts none)
run() {
  label=$1
  shift
  echo "== $label"
  "$@" > "$LOG/out" 2>&1
  status=$?
  sed -E "s/^([0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?)$/[$label] \1/" "$LOG/out"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$LOG/out" | tail -n 1)
  if [ -z "$line" ]; then
    echo "[$label] no tally (exit status $status): counted as one failure"
    F=$((F + 1))
    return
  fi
  p=${line%% passed*}
  f=${line#*, }
  f=${f%% failed*}
  sk=0
  case "$line" in *skipped) sk=${line##*failed, }; sk=${sk%% skipped} ;; esac
  P=$((P + p))
  F=$((F + f))
  S=$((S + sk))
  if [ "$f" -eq 0 ] && [ "$status" -ne 0 ]; then
    echo "[$label] exit status $status with no failed assertion: counted as one failure"
    F=$((F + 1))
  fi
}

FILES="$(ls tests/sql/*.test tests/shell/*.cmd 2>/dev/null)"
# shellcheck disable=SC2086
run plain "$B/test-runner" --unit --shell "$B/territory" $FILES
# shellcheck disable=SC2086
run sanitized "$B/asan/test-runner" --unit --shell "$B/asan/territory" $FILES
for suite in tests/suites/*.sh; do
  [ -f "$suite" ] || continue
  run "$(basename "$suite" .sh)" sh "$suite"
done

echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ] || exit 1
case "${CI:-}" in
  ''|0) ;;
  *) if [ "$S" -gt 0 ]; then
       echo "CI is set: $S skipped counts as failure (install what the skipped suites name)"
       exit 1
     fi ;;
esac
exit 0
