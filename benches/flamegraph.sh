# Sourced by benches/run.sh: a flame graph of the app under load. `perf record` samples the app's
# process (every thread) with DWARF call stacks while wrk loads one page; inferno (from
# crates.io, installed with `cargo install --locked inferno` when missing) folds the stacks and
# draws the SVG: each box is a function, its width its share of the samples, its callers below.

# flame_graph PID URL HEADER OUT_SVG
flame_graph() {
    local pid=$1 url=$2 header=$3 out=$4 perf_pid
    command -v perf >/dev/null || { echo "perf is missing: no flame graph" >&2; return 0; }
    if ! command -v inferno-flamegraph >/dev/null; then
        echo "inferno is missing: cargo install --locked inferno" >&2
        cargo install --locked --quiet inferno >&2
    fi
    perf record -F 199 --call-graph dwarf,16384 -o "$WORK/perf.data" -p "$pid" -- sleep 5 \
        >/dev/null 2>&1 &
    perf_pid=$!
    DURATION=6s load "$url" "$header" >/dev/null
    wait "$perf_pid" || true
    perf script --no-inline -i "$WORK/perf.data" 2>/dev/null |
        inferno-collapse-perf 2>/dev/null |
        inferno-flamegraph --title "$(basename "$out" .svg)" >"$out" 2>/dev/null ||
        echo "no flame graph drawn for $url" >&2
    rm -f "$WORK/perf.data"
}
