# Sourced by benches/run.sh: instructions per request, counted by valgrind's callgrind (this
# machine's `perf stat -e instructions` is "not supported" in its VM). Unlike req/s, the count
# does not move with the machine's load: the same build and requests give the same figure
# within about 1 %, so it compares builds measured on a busy machine.
#
# The release app runs under callgrind (tens of times slower, which does not matter here); each
# page is warmed up, callgrind's counters zeroed (`callgrind_control -z`), exactly
# INSTRUCTION_REQUESTS GETs sent one after the other on one kept-alive connection by the helper
# (with several at once the count varied by 2–3 % with how the threads happened to interleave), the counters dumped
# (`callgrind_control -d`), and the dump's total of instructions (Ir, every thread of the app,
# the storage threads included) divided by the requests. Twice, to show it repeats.

# instructions_start NAME ADDR DATABASE: the app under callgrind; sets CG_PID.
instructions_start() {
    local name=$1 addr=$2 database=$3
    command -v valgrind >/dev/null || apt_install valgrind
    start_app "cg-$name" "$addr" "$database" \
        valgrind --tool=callgrind --dump-instr=no --collect-jumps=no \
        --callgrind-out-file="$WORK/callgrind-$name.out"
    CG_PID=$STARTED_PID
    wait_for "http://$addr/health"
}

# instructions_per_request NAME ADDR PATH HEADER: prints the instructions one request costs.
instructions_per_request() {
    local name=$1 addr=$2 path=$3 header=$4 dump
    # Warmed up as long as measured: caches full, the allocator and the pools at their size.
    "$HELPER" repeat "http://$addr$path" "$header" "$INSTRUCTION_REQUESTS" 1 >/dev/null
    callgrind_control -z "$CG_PID" >/dev/null 2>&1
    "$HELPER" repeat "http://$addr$path" "$header" "$INSTRUCTION_REQUESTS" 1 >"$WORK/cg-statuses"
    callgrind_control -d "$CG_PID" >/dev/null 2>&1
    grep -q "\"200\": $INSTRUCTION_REQUESTS}" "$WORK/cg-statuses" ||
        echo "warning: not every request answered 200: $(cat "$WORK/cg-statuses")" >&2
    dump=$(ls -t "$WORK/callgrind-$name.out".* | head -n1)
    awk -v n="$INSTRUCTION_REQUESTS" '/^(summary|totals):/ { t = $2 } END { printf "%.0f\n", t / n }' "$dump"
    rm -f "$WORK/callgrind-$name.out".*
}
