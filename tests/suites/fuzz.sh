#!/bin/sh
# tests/suites/fuzz.sh -- a short fuzzing run inside make test: builds the
# libFuzzer targets of tests/fuzz/ (mk/fuzz.mk), runs each for
# FUZZ_SUITE_SECONDS (20) from its seed corpus, and replays every saved crash
# input in tests/fuzz/regressions/ (NAME-... goes to fuzz_NAME).
# Passed: targets that ran clean + regressions that no longer crash.
# Ends with "N passed, N failed, N skipped".  `make fuzz` runs longer.
B=${B:-build}
ROOT=${ROOT:-$(pwd)}
SECS=${FUZZ_SUITE_SECONDS:-20}
P=0
F=0
case "$B" in /*) FB=$B/fuzz ;; *) FB=$ROOT/$B/fuzz ;; esac

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang is not installed (tools/setup.sh installs it); skipped"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
LOG=$(mktemp -d /tmp/territory-fuzz.XXXXXX)
trap 'rm -rf "$LOG"' EXIT
if ! make -s B="$B" fuzz-build > "$LOG/build" 2>&1; then
  if grep -q 'libclang_rt.fuzzer\|fsanitize=fuzzer' "$LOG/build"; then
    echo "fuzz: the libFuzzer runtime is missing (libclang-rt-14-dev; tools/setup.sh installs it); skipped"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
  fi
  tail -n 20 "$LOG/build"
  echo "fuzz: the targets do not build"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

for t in sql csv cmd; do
  mkdir -p "$LOG/work_$t"
  # -close_fd_mask=3 silences the code under test, not libFuzzer's report
  nice "$FB/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -close_fd_mask=3 -artifact_prefix="$FB/crash-$t-" \
    "$LOG/work_$t" "$ROOT/tests/fuzz/corpus_$t" > "$LOG/$t.log" 2>&1
  st=$?
  if [ $st -eq 0 ] && grep -q '^Done' "$LOG/$t.log"; then
    P=$((P + 1))
    echo "fuzz_$t: clean for ${SECS} s ($(grep -o '^Done [0-9]* runs' "$LOG/$t.log" | cut -d' ' -f2) runs)"
  else
    F=$((F + 1))
    echo "fuzz_$t: FAILED (exit status $st); the input is saved as $FB/crash-$t-*:"
    grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]*:|Test unit written' "$LOG/$t.log" | head -n 10
  fi
done

for r in "$ROOT"/tests/fuzz/regressions/*; do
  [ -f "$r" ] || continue
  name=$(basename "$r")
  t=${name%%-*}
  if [ ! -x "$FB/fuzz_$t" ]; then
    echo "regression $name: no target fuzz_$t (name files TARGET-description)"
    F=$((F + 1))
    continue
  fi
  if "$FB/fuzz_$t" -close_fd_mask=3 "$r" > "$LOG/reg.log" 2>&1; then
    P=$((P + 1))
  else
    F=$((F + 1))
    echo "regression $name crashes again:"
    grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]*:' "$LOG/reg.log" | head -n 10
  fi
done
echo "$P passed, $F failed, 0 skipped"
[ "$F" -eq 0 ]
