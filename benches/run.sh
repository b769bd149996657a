#!/usr/bin/env bash
# The speed benchmark: `bash benches/run.sh`.
#
# Builds the release app and benches/helper.rs, starts side by side the app (talking to a
# stand-in Voucherly that answers after VOUCHERLY_DELAY_MS and counts the calls) and a bare
# actix-web "hello", and loads each with wrk in the same run, interleaved, ROUNDS times. Prints
# req/s, p50 and p99 (medians of the rounds) and the app/bare ratio for each page; the Voucherly
# calls that 200 concurrent cold loads of one shopper's profile made, and those of the steady
# load; the app's resident memory, then again after LONG_REQUESTS profile loads spread over
# SHOPPERS shoppers; with SCALE=1 (the default) the profile page on two instances sharing a
# throwaway PostgreSQL behind nginx (deploy/nginx.conf.template), next to the SQLite instance.
# Installs wrk (and nginx, PostgreSQL) with apt-get when missing. Nothing is timed in CI.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SHOPPERS=${SHOPPERS:-10000}
LONG_REQUESTS=${LONG_REQUESTS:-100000}
VOUCHERLY_DELAY_MS=${VOUCHERLY_DELAY_MS:-100}
PORT_BASE=${PORT_BASE:-18080}

cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: installing it with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y wrk >&2; else sudo apt-get install -y wrk >&2; fi
fi
command -v curl >/dev/null || { echo "curl is needed: apt-get install -y curl" >&2; exit 1; }

echo "building the release app and the bench helper…" >&2
cargo build --release --quiet --bin voucherly-account --example bench-helper
APP_BIN=target/release/voucherly-account
HELPER=target/release/examples/bench-helper

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

APP=127.0.0.1:$PORT_BASE
BARE=127.0.0.1:$((PORT_BASE + 1))
FAKE=127.0.0.1:$((PORT_BASE + 2))
STORE_KEY=bench-store-api-key-0123456789abcdef0123456789

# Waits (up to 30 s) until `url` answers.
wait_for() {
    for _ in $(seq 300); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "$1 did not answer within 30 s; the app's log ends with:" >&2
    tail -n 20 "$WORK/app.log" >&2 || true
    exit 1
}

"$HELPER" bare "$BARE" & PIDS+=($!)
"$HELPER" voucherly "$FAKE" "$VOUCHERLY_DELAY_MS" & PIDS+=($!)
echo "seeding $SHOPPERS shoppers with Voucherly customer ids…" >&2
"$HELPER" seed "$WORK/bench.db" "$SHOPPERS"

VOUCHERLY_ACCOUNT_BIND=$APP \
VOUCHERLY_ACCOUNT_DATABASE=$WORK/bench.db \
VOUCHERLY_API_KEY=sk_bench_key \
VOUCHERLY_BASE_URL=http://$FAKE/ \
VOUCHERLY_ENVIRONMENT=sandbox \
VOUCHERLY_ACCOUNT_DEMO=true \
VOUCHERLY_ACCOUNT_STORE_API_KEY=$STORE_KEY \
VOUCHERLY_ACCOUNT_TRUSTED_PROXIES=127.0.0.1 \
    "$APP_BIN" >"$WORK/app.log" 2>&1 & APP_PID=$!
PIDS+=("$APP_PID")
wait_for "http://$APP/health"
wait_for "http://$BARE/"
wait_for "http://$FAKE/calls"

calls() { curl -s "http://$FAKE/calls"; }
rss_mib() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$APP_PID/status"; }

"$HELPER" sign-in "http://$APP" "$STORE_KEY" 1 "$WORK/one-cookie.txt"
COOKIE=$(head -n1 "$WORK/one-cookie.txt")

echo "== 200 concurrent cold loads of one shopper's profile" >&2
curl -s -X POST "http://$FAKE/calls/reset"
BURST=$("$HELPER" burst "http://$APP/account" "$COOKIE" 200)
COLD_CALLS=$(calls)

# name|path|header (the same request goes to the app and to the bare handler)
SCENARIOS=(
    "profile page, signed in (GET /account)|/account|Cookie: $COOKIE"
    "sign-in page, no cookie (GET /)|/|"
    "static file, with the session cookie|/static/style.css|Cookie: $COOKIE"
    "static file, without a cookie|/static/style.css|"
    "store API read (GET /api/v1/orders/{id})|/api/v1/orders/demo-1001|Authorization: Bearer $STORE_KEY"
)

# Runs wrk once; prints "req/s p50_ms p99_ms non2xx".
load() {
    local url=$1 header=$2 out
    if [ -n "$header" ]; then
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$header" "$url")
    else
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    fi
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
            if (v ~ /s$/) return v * 1000; return v
        }
        $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 } /Non-2xx or 3xx/ { bad = $5 }
        END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad }
    ' <<<"$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A RESULTS
curl -s -X POST "http://$FAKE/calls/reset"
STEADY_START=$(date +%s)
for round in $(seq "$ROUNDS"); do
    for i in "${!SCENARIOS[@]}"; do
        IFS='|' read -r name path header <<<"${SCENARIOS[$i]}"
        echo "round $round/$ROUNDS: $name" >&2
        RESULTS[app,$i]+="$(load "http://$APP$path" "$header")"$'\n'
        RESULTS[bare,$i]+="$(load "http://$BARE$path" "$header")"$'\n'
    done
done
STEADY_SECONDS=$(($(date +%s) - STEADY_START))

# PERF=1: where the profile page's time goes, sampled with perf during one more run.
if [ "${PERF:-0}" = 1 ]; then
    echo "== perf: the profile page under load" >&2
    perf record -F 499 -g -o "$WORK/perf.data" -p "$APP_PID" -- sleep 8 >/dev/null 2>&1 &
    PERF_PID=$!
    load "http://$APP/account" "Cookie: $COOKIE" >/dev/null
    wait "$PERF_PID" || true
    perf report -i "$WORK/perf.data" --no-children --sort comm --stdio 2>/dev/null |
        awk '/^ +[0-9]/ && n++ < 8' >"$WORK/perf-threads.txt"
    perf report -i "$WORK/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
        awk '/^ +[0-9]/ && n++ < 30' >"$WORK/perf-symbols.txt"
fi
STEADY_CALLS=$(calls)
RSS_AFTER_RUNS=$(rss_mib)

echo "== signing in $SHOPPERS shoppers, then $LONG_REQUESTS profile loads over them" >&2
"$HELPER" sign-in "http://$APP" "$STORE_KEY" "$SHOPPERS" "$WORK/cookies.txt"
cat >"$WORK/shoppers.lua" <<'LUA'
local cookies, i = {}, 0
function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 then cookies[#cookies + 1] = line end
    end
    i = math.random(#cookies)
end
function request()
    i = i % #cookies + 1
    return wrk.format("GET", "/account", { ["Cookie"] = cookies[i] })
end
LUA
DONE=0
LONG_BAD=0
while [ "$DONE" -lt "$LONG_REQUESTS" ]; do
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$WORK/shoppers.lua" "http://$APP/account" -- "$WORK/cookies.txt")
    DONE=$((DONE + $(awk '/requests in/ { print $1 }' <<<"$out")))
    LONG_BAD=$((LONG_BAD + $(awk '/Non-2xx or 3xx/ { print $5 } END { print 0 }' <<<"$out" | head -n1)))
done
RSS_AFTER_LONG=$(rss_mib)
DB_MIB=$(du -cb "$WORK"/bench.db | tail -n1 | awk '{ printf "%.1f", $1 / 1048576 }')
WAL_MIB=$(du -cb "$WORK"/bench.db-wal 2>/dev/null | tail -n1 | awk '{ printf "%.1f", $1 / 1048576 }')

# SCALE=1 (the default): the profile page again, on two instances sharing one PostgreSQL
# database behind nginx, interleaved with the one SQLite instance above. The PostgreSQL data is
# the SQLite file above copied with `copy-to-postgres`, while that app runs.
SCALE_ROW=""
if [ "${SCALE:-1}" = 1 ]; then
    echo "== two instances on PostgreSQL behind nginx" >&2
    apt_install() { if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq "$@" >&2; else sudo apt-get install -y -qq "$@" >&2; fi; }
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then apt_install nginx-light; fi
    NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
    unset TEST_DATABASE_URL
    # shellcheck source=scripts/throwaway-postgres
    . scripts/throwaway-postgres
    trap 'stop_throwaway_postgres; cleanup' EXIT
    PG_URL=${TEST_DATABASE_URL%/postgres}/bench
    psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE bench"
    "$APP_BIN" copy-to-postgres --from "$WORK/bench.db" --to "$PG_URL" >&2
    NGINX=127.0.0.1:$((PORT_BASE + 5))
    for n in 3 4; do
        VOUCHERLY_ACCOUNT_BIND=127.0.0.1:$((PORT_BASE + n)) \
        VOUCHERLY_ACCOUNT_PUBLIC_URL=http://$NGINX \
        VOUCHERLY_ACCOUNT_DATABASE=$PG_URL \
        VOUCHERLY_ACCOUNT_CALLBACK_SPOOL=$WORK/spool-$n \
        VOUCHERLY_API_KEY=sk_bench_key \
        VOUCHERLY_BASE_URL=http://$FAKE/ \
        VOUCHERLY_ENVIRONMENT=sandbox \
        VOUCHERLY_ACCOUNT_DEMO=true \
        VOUCHERLY_ACCOUNT_STORE_API_KEY=$STORE_KEY \
        VOUCHERLY_ACCOUNT_TRUSTED_PROXIES=127.0.0.1 \
            "$APP_BIN" >"$WORK/app-pg-$n.log" 2>&1 & PIDS+=($!)
    done
    mkdir -p "$WORK/nginx"
    sed -e "s|@RUN_DIR@|$WORK/nginx|g" -e "s|@LISTEN@|$NGINX|g" \
        -e "s|@INSTANCE_A@|127.0.0.1:$((PORT_BASE + 3))|g" \
        -e "s|@INSTANCE_B@|127.0.0.1:$((PORT_BASE + 4))|g" \
        deploy/nginx.conf.template >"$WORK/nginx/nginx.conf"
    if [ "$(id -u)" -eq 0 ]; then chmod 755 "$WORK" "$WORK/nginx"; fi
    "$NGINX_BIN" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" & PIDS+=($!)
    wait_for "http://127.0.0.1:$((PORT_BASE + 3))/health"
    wait_for "http://127.0.0.1:$((PORT_BASE + 4))/health"
    wait_for "http://$NGINX/health"
    "$HELPER" sign-in "http://$NGINX" "$STORE_KEY" 1 "$WORK/pg-cookie.txt"
    PG_COOKIE=$(head -n1 "$WORK/pg-cookie.txt")
    SCALE_SQLITE=""
    SCALE_PG=""
    for round in $(seq "$ROUNDS"); do
        echo "round $round/$ROUNDS: profile page, one SQLite instance / two on PostgreSQL" >&2
        SCALE_SQLITE+="$(load "http://$APP/account" "Cookie: $COOKIE")"$'\n'
        SCALE_PG+="$(load "http://$NGINX/account" "Cookie: $PG_COOKIE")"$'\n'
    done
    scol() { printf '%s' "$1" | awk -v c="$2" 'NF { print $c }' | median; }
    sqlite_rps=$(scol "$SCALE_SQLITE" 1); pg_rps=$(scol "$SCALE_PG" 1)
    pg_bad=$(printf '%s' "$SCALE_PG" | awk 'NF { s += $4 } END { print s + 0 }')
    SCALE_ROW="| profile page: two instances on PostgreSQL behind nginx, next to one on SQLite | $pg_rps | $(scol "$SCALE_PG" 2) / $(scol "$SCALE_PG" 3) ms | one SQLite instance: $sqlite_rps | $(scol "$SCALE_SQLITE" 2) / $(scol "$SCALE_SQLITE" 3) ms | $(awk -v a="$pg_rps" -v b="$sqlite_rps" 'BEGIN { printf "%.0f %%", (b > 0) ? 100 * a / b : 0 }') | $pg_bad |"
fi

# The report.
echo
echo "## Speed benchmark ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
echo "Machine: $(nproc) cores, $(awk '/^model name/ { $1 = $2 = $3 = ""; print; exit }' /proc/cpuinfo | sed 's/^ *//'), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)."
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS interleaved rounds, medians; stand-in Voucherly answering in ${VOUCHERLY_DELAY_MS} ms."
echo
echo "| what | app req/s | app p50 / p99 | bare actix-web req/s | bare p50 / p99 | ratio | app non-2xx/3xx |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for i in "${!SCENARIOS[@]}"; do
    IFS='|' read -r name _ _ <<<"${SCENARIOS[$i]}"
    col() { printf '%s' "${RESULTS[$1,$i]}" | awk -v c="$2" 'NF { print $c }' | median; }
    app_rps=$(col app 1); bare_rps=$(col bare 1)
    ratio=$(awk -v a="$app_rps" -v b="$bare_rps" 'BEGIN { r = (b > 0) ? 100 * a / b : 0; printf "%.0f %%", r }')
    bad=$(printf '%s' "${RESULTS[app,$i]}" | awk 'NF { s += $4 } END { print s + 0 }')
    echo "| $name | $app_rps | $(col app 2) / $(col app 3) ms | $bare_rps | $(col bare 2) / $(col bare 3) ms | $ratio | $bad |"
done
if [ -n "$SCALE_ROW" ]; then echo "$SCALE_ROW"; fi
echo
echo "- 200 concurrent cold loads of one shopper's profile: statuses $BURST; Voucherly calls $COLD_CALLS."
echo "- Steady load (${STEADY_SECONDS} s of the runs above, one shopper): Voucherly calls $STEADY_CALLS."
echo "- Resident memory: $RSS_AFTER_RUNS MiB after the runs above; $RSS_AFTER_LONG MiB after $DONE profile loads over $SHOPPERS shoppers (non-2xx/3xx: $LONG_BAD)."
echo "- Database file at the end: $DB_MIB MiB, its write-ahead log $WAL_MIB MiB."
if [ -s "$WORK/perf-threads.txt" ]; then
    echo
    echo "perf, profile page under load, samples by thread:"
    echo '```'
    cat "$WORK/perf-threads.txt"
    echo '```'
    echo "and by function (top 30, self time):"
    echo '```'
    cat "$WORK/perf-symbols.txt"
    echo '```'
fi
