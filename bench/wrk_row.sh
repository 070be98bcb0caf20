# Shared by the bench scripts: turns wrk --latency output (stdin) into the figures of a
# Markdown row: "requests/s | p50 | p99 | non-2xx".
wrk_figures() {
  awk '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
       /Non-2xx/ {bad = $5}
       END {printf "%s | %s | %s | %s", rps, p50, p99, (bad == "" ? 0 : bad)}'
}
