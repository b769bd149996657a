# Sourced by benches/run.sh: starting things, loading them with wrk, reading wrk's answers.
# Expects WORK (a scratch folder), PIDS (an array of what to stop at the end), THREADS,
# CONNECTIONS, DURATION, FAKE and STORE_KEY from the caller.

apt_install() {
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq "$@" >&2; else sudo apt-get install -y -qq "$@" >&2; fi
}

# Waits (up to 60 s: an app under valgrind starts slowly) until `url` answers.
wait_for() {
    for _ in $(seq 600); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "$1 did not answer within 60 s; the app logs end with:" >&2
    tail -n 20 "$WORK"/app*.log >&2 || true
    exit 1
}

# start_app NAME ADDR DATABASE [WRAPPER…]: the release app on ADDR with DATABASE (a SQLite file
# or a PostgreSQL URL), talking to the stand-in Voucherly; logs to $WORK/app-NAME.log. Sets
# STARTED_PID (the app's own process: WRAPPER, such as valgrind, runs it with `exec`).
start_app() {
    local name=$1 addr=$2 database=$3
    shift 3
    VOUCHERLY_ACCOUNT_BIND=$addr \
    VOUCHERLY_ACCOUNT_DATABASE=$database \
    VOUCHERLY_ACCOUNT_CALLBACK_SPOOL=$WORK/spool-$name \
    VOUCHERLY_API_KEY=sk_bench_key \
    VOUCHERLY_BASE_URL=http://$FAKE/ \
    VOUCHERLY_ENVIRONMENT=sandbox \
    VOUCHERLY_ACCOUNT_DEMO=true \
    VOUCHERLY_ACCOUNT_STORE_API_KEY=$STORE_KEY \
    VOUCHERLY_ACCOUNT_TRUSTED_PROXIES=127.0.0.1 \
    VOUCHERLY_ACCOUNT_PUBLIC_URL=${PUBLIC_URL:-http://$addr} \
        "$@" "$APP_BIN" >"$WORK/app-$name.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# Reads wrk's text on stdin; prints "req/s p50_ms p99_ms non2xx".
wrk_figures() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
            if (v ~ /s$/) return v * 1000; return v
        }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx/ { bad = $5 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }
    '
}

# load URL HEADER: runs wrk once; prints "req/s p50_ms p99_ms non2xx".
load() {
    local url=$1 header=$2
    if [ -n "$header" ]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$header" "$url" | wrk_figures
    else
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" | wrk_figures
    fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# column ROWS N: the median of column N of ROWS ("req/s p50 p99 bad" lines).
column() { printf '%s' "$1" | awk -v c="$2" 'NF { print $c }' | median; }
# bad_total ROWS: the non-2xx/3xx answers over every row.
bad_total() { printf '%s' "$1" | awk 'NF { s += $4 } END { print s + 0 }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b > 0) ? 100 * a / b : 0 }'; }
# mark VALUE OP GOAL: "met" or "**not met**" (OP is >= or <=).
mark() {
    awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
        ok = (op == ">=") ? (v + 0 >= g + 0) : (v + 0 <= g + 0)
        print ok ? "met" : "**not met**"
    }'
}

# wrk_until CONNECTIONS LUA URL REQUESTS ARGS…: wrk with a script that stops each thread after
# its share of REQUESTS and leaves a file saying so (benches/shoppers.lua, mix.lua: their
# arguments are ARGS, the share, then the folder); wrk itself stops only at its duration's end
# or on SIGINT, sent here once every thread is done. Prints wrk's report.
wrk_until() {
    local connections=$1 lua=$2 url=$3 requests=$4 wrk_pid
    shift 4
    rm -rf "$WORK/until" && mkdir -p "$WORK/until"
    wrk -t"$THREADS" -c"$connections" -d1800s --timeout 10s --latency -s "$lua" "$url" \
        -- "$@" $(((requests + THREADS - 1) / THREADS)) "$WORK/until" >"$WORK/until/wrk.out" &
    wrk_pid=$!
    while kill -0 "$wrk_pid" 2>/dev/null &&
        [ "$(find "$WORK/until" -name 'done-*' | wc -l)" -lt "$THREADS" ]; do
        sleep 0.2
    done
    kill -INT "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" || true
    cat "$WORK/until/wrk.out"
}

# many_shoppers URL COOKIES REQUESTS: REQUESTS profile loads spread over the cookies in COOKIES
# (one per line); prints "sent bad".
many_shoppers() {
    wrk_until "$CONNECTIONS" benches/shoppers.lua "$1" "$3" "$2" |
        awk '/requests in/ { n = $1 } /Non-2xx or 3xx/ { bad = $5 } END { print n + 0, bad + 0 }'
}
