#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs each for SECONDS
# (default 60) from its seed corpus in tests/fuzz/corpus, on a copy, so the repository's corpus
# stays as committed. A crash, a sanitizer report, a leak or an input that takes longer than
# the time-out fails the run and leaves the input in build/fuzz/findings/<target>/.
# Prints the executions each target ran; docs/security.md records the long runs.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  targets=(json_body query_string csv rrule search_query policy checkpoint)
fi

scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "$(nproc)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target" "build/fuzz/findings/$target"
  cp tests/fuzz/corpus/"$target"/* "$work/$target/"
  log="build/fuzz/findings/$target/last-run.log"
  # -timeout: one input may take at most 2 s (a hang is a finding); -rss_limit_mb bounds memory.
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "build/fuzz/tests/fuzz/${target}_fuzz" "$work/$target" \
       -max_total_time="$seconds" -timeout=2 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
       -artifact_prefix="build/fuzz/findings/$target/" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    printf '%-14s %12s executions in %ss, no crash\n' "$target" "$runs" "$seconds"
  else
    echo "$target: FAILED; see $log and the input in build/fuzz/findings/$target/"
    tail -40 "$log"
    failed=1
  fi
done
exit "$failed"
