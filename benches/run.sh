#!/usr/bin/env bash
# The speed benchmark of issue 20: `bash benches/run.sh`. One run prints the issue's table, each
# row with its goal and whether it is met, on both engines, and writes the report (and flame
# graphs) to benches/results/. Never run by CI.
#
# Builds the release app and benches/helper.rs, starts a bare actix-web "hello" (the yardstick),
# a stand-in Voucherly (answers after VOUCHERLY_DELAY_MS, counts the calls), the app on SQLite
# and, with postgres in ENGINES, the app on a throwaway PostgreSQL (scripts/throwaway-postgres,
# the SQLite data copied by `copy-to-postgres`). Then:
# - each page loaded on every app and on the bare handler, interleaved, wrk -t2 -c64, ROUNDS
#   rounds: medians of req/s, p50, p99, and the app/bare ratio;
# - 200 concurrent cold loads of one shopper's profile (Voucherly calls counted);
# - a flame graph of the profile page under load per engine (FLAME=1, perf + inferno);
# - LONG_REQUESTS profile loads over SHOPPERS shoppers, then the resident memory;
# - the scale run (SCALE_RUN=1): SCALE_REQUESTS requests mixing pages over SCALE_CONNECTIONS
#   connections (benches/scale.sh);
# - the profile page on two instances on PostgreSQL behind nginx against the SQLite instance
#   (NGINX_ROW=1, with postgres in ENGINES);
# - instructions per request under callgrind, twice (INSTRUCTIONS=1, benches/instructions.sh).
# NOTE="…" adds a line to the report (say the machine was busy). Installs wrk, nginx, valgrind
# and PostgreSQL with apt-get, and inferno with cargo, when missing.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
SHOPPERS=${SHOPPERS:-10000}
LONG_REQUESTS=${LONG_REQUESTS:-100000}
SCALE_REQUESTS=${SCALE_REQUESTS:-$LONG_REQUESTS}
SCALE_CONNECTIONS=${SCALE_CONNECTIONS:-1000}
INSTRUCTION_REQUESTS=${INSTRUCTION_REQUESTS:-1000}
VOUCHERLY_DELAY_MS=${VOUCHERLY_DELAY_MS:-100}
PORT_BASE=${PORT_BASE:-18080}
ENGINES=${ENGINES:-sqlite postgres}
FLAME=${FLAME:-1}
SCALE_RUN=${SCALE_RUN:-1}
NGINX_ROW=${NGINX_ROW:-${SCALE:-1}}
INSTRUCTIONS=${INSTRUCTIONS:-1}

cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# 1,000 connections from wrk and as many in the app, plus files and sockets of their own.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d)
PIDS=()
PG_STARTED=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$PG_STARTED" ]; then stop_throwaway_postgres; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=benches/lib.sh
. benches/lib.sh
# shellcheck source=benches/instructions.sh
. benches/instructions.sh
# shellcheck source=benches/flamegraph.sh
. benches/flamegraph.sh
# shellcheck source=benches/scale.sh
. benches/scale.sh

command -v wrk >/dev/null || apt_install wrk
command -v curl >/dev/null || apt_install curl

echo "building the release app and the bench helper…" >&2
cargo build --release --quiet --bin voucherly-account --example bench-helper
APP_BIN=target/release/voucherly-account
HELPER=target/release/examples/bench-helper
STAMP=$(date -u +%Y-%m-%d)-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
RESULTS=benches/results
mkdir -p "$RESULTS"

BARE=127.0.0.1:$((PORT_BASE + 1))
FAKE=127.0.0.1:$((PORT_BASE + 2))
NGINX=127.0.0.1:$((PORT_BASE + 5))
STORE_KEY=bench-store-api-key-0123456789abcdef0123456789
declare -A ADDR PID
ADDR[sqlite]=127.0.0.1:$PORT_BASE
ADDR[postgres]=127.0.0.1:$((PORT_BASE + 6))

"$HELPER" bare "$BARE" & PIDS+=($!)
"$HELPER" voucherly "$FAKE" "$VOUCHERLY_DELAY_MS" & PIDS+=($!)
echo "seeding $SHOPPERS shoppers with Voucherly customer ids…" >&2
"$HELPER" seed "$WORK/bench.db" "$SHOPPERS"
start_app sqlite "${ADDR[sqlite]}" "$WORK/bench.db"
PID[sqlite]=$STARTED_PID
wait_for "http://${ADDR[sqlite]}/health"
wait_for "http://$BARE/"
wait_for "http://$FAKE/calls"
calls() { curl -s "http://$FAKE/calls"; }

echo "== signing in $SHOPPERS shoppers" >&2
"$HELPER" sign-in "http://${ADDR[sqlite]}" "$STORE_KEY" "$SHOPPERS" "$WORK/cookies.txt"
# bench-1 (line 2): a shopper with no order to pay, as in the issue's figures.
COOKIE=$(sed -n 2p "$WORK/cookies.txt")
[ -n "$COOKIE" ] || COOKIE=$(head -n1 "$WORK/cookies.txt")

echo "== 200 concurrent cold loads of one shopper's profile" >&2
curl -s -X POST "http://$FAKE/calls/reset"
BURST=$("$HELPER" burst "http://${ADDR[sqlite]}/account" "$COOKIE" 200)
COLD_CALLS=$(calls)

if [[ " $ENGINES " == *" postgres "* ]]; then
    echo "== the app on a throwaway PostgreSQL" >&2
    unset TEST_DATABASE_URL
    # shellcheck source=scripts/throwaway-postgres
    . scripts/throwaway-postgres
    PG_STARTED=1
    trap cleanup EXIT
    PG_URL=${TEST_DATABASE_URL%/postgres}/bench
    psql -q "$TEST_DATABASE_URL" -c "CREATE DATABASE bench"
    # The sessions and the session key are copied too: the same cookies sign in on both.
    "$APP_BIN" copy-to-postgres --from "$WORK/bench.db" --to "$PG_URL" >&2
    start_app postgres "${ADDR[postgres]}" "$PG_URL"
    PID[postgres]=$STARTED_PID
    wait_for "http://${ADDR[postgres]}/health"
    curl -s -o /dev/null -H "Cookie: $COOKIE" "http://${ADDR[postgres]}/account"
fi
read -r -a ENGINE_LIST <<<"$ENGINES"

# name|path|header|goal (a ratio in %): each goes to every app and to the bare handler.
SCENARIOS=(
    "profile page, signed in, warm cache (GET /account)|/account|Cookie: $COOKIE|50"
    "sign-in page, no cookie (GET /)|/||50"
    "store API read (GET /api/v1/orders/{id})|/api/v1/orders/demo-1001|Authorization: Bearer $STORE_KEY|50"
    "static file, with the session cookie|/static/style.css|Cookie: $COOKIE|80"
    "static file, without a cookie|/static/style.css||80"
)

declare -A ROWS
curl -s -X POST "http://$FAKE/calls/reset"
STEADY_START=$(date +%s)
for round in $(seq "$ROUNDS"); do
    for i in "${!SCENARIOS[@]}"; do
        IFS='|' read -r name path header _ <<<"${SCENARIOS[$i]}"
        for engine in "${ENGINE_LIST[@]}"; do
            echo "round $round/$ROUNDS: $name, $engine" >&2
            ROWS[$engine,$i]+="$(load "http://${ADDR[$engine]}$path" "$header")"$'\n'
        done
        echo "round $round/$ROUNDS: $name, bare actix-web" >&2
        ROWS[bare,$i]+="$(load "http://$BARE$path" "$header")"$'\n'
    done
done
STEADY_SECONDS=$(($(date +%s) - STEADY_START))
STEADY_CALLS=$(calls)

declare -A FLAMES
if [ "$FLAME" = 1 ]; then
    for engine in "${ENGINE_LIST[@]}"; do
        echo "== flame graph: the profile page on $engine" >&2
        FLAMES[$engine]=$RESULTS/$STAMP-profile-$engine.svg
        flame_graph "${PID[$engine]}" "http://${ADDR[$engine]}/account" "Cookie: $COOKIE" \
            "${FLAMES[$engine]}"
    done
fi

declare -A RSS_BEFORE LONG SCALE
for engine in "${ENGINE_LIST[@]}"; do
    RSS_BEFORE[$engine]=$(rss_mib "${PID[$engine]}")
    echo "== $engine: $LONG_REQUESTS profile loads over $SHOPPERS shoppers" >&2
    LONG[$engine]="$(many_shoppers "http://${ADDR[$engine]}/account" "$WORK/cookies.txt" "$LONG_REQUESTS") $(rss_mib "${PID[$engine]}")"
    if [ "$SCALE_RUN" = 1 ]; then
        echo "== $engine: the scale run, $SCALE_REQUESTS requests over $SCALE_CONNECTIONS connections" >&2
        SCALE[$engine]=$(scale_run "http://${ADDR[$engine]}/account" "$WORK/cookies.txt" "${PID[$engine]}")
    fi
done
DB_MIB=$(du -cb "$WORK"/bench.db | tail -n1 | awk '{ printf "%.1f", $1 / 1048576 }')
WAL_MIB=$(du -cb "$WORK"/bench.db-wal 2>/dev/null | tail -n1 | awk '{ printf "%.1f", $1 / 1048576 }')

NGINX_LINE=""
if [ "$NGINX_ROW" = 1 ] && [ -n "$PG_STARTED" ]; then
    echo "== two instances on PostgreSQL behind nginx" >&2
    stop_pid "${PID[postgres]}"
    if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then apt_install nginx-light; fi
    NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
    for n in 3 4; do
        PUBLIC_URL=http://$NGINX start_app "pg-$n" "127.0.0.1:$((PORT_BASE + n))" "$PG_URL"
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
    NG_SQLITE=""
    NG_PG=""
    for round in $(seq "$ROUNDS"); do
        echo "round $round/$ROUNDS: profile page, one SQLite instance / two on PostgreSQL" >&2
        NG_SQLITE+="$(load "http://${ADDR[sqlite]}/account" "Cookie: $COOKIE")"$'\n'
        NG_PG+="$(load "http://$NGINX/account" "Cookie: $COOKIE")"$'\n'
    done
    NGINX_LINE="$(column "$NG_PG" 1) $(column "$NG_PG" 2) $(column "$NG_PG" 3) $(bad_total "$NG_PG") $(column "$NG_SQLITE" 1) $(column "$NG_SQLITE" 2) $(column "$NG_SQLITE" 3)"
fi

declare -A INSTR
# path|header|label: the pages whose instructions are counted.
INSTRUCTION_PAGES=(
    "/account|Cookie: $COOKIE|profile page, signed in (GET /account)"
    "/||sign-in page, no cookie (GET /)"
    "/api/v1/orders/demo-1001|Authorization: Bearer $STORE_KEY|store API read (GET /api/v1/orders/{id})"
    "/static/style.css||static file, without a cookie"
    "/static/style.css|Cookie: $COOKIE|static file, with the session cookie"
)
if [ "$INSTRUCTIONS" = 1 ]; then
    stop_pid "${PID[sqlite]}"
    for engine in "${ENGINE_LIST[@]}"; do
        database=$WORK/bench.db
        [ "$engine" = postgres ] && database=$PG_URL
        echo "== $engine: instructions per request under callgrind" >&2
        instructions_start "$engine" "127.0.0.1:$((PORT_BASE + 7))" "$database"
        for i in "${!INSTRUCTION_PAGES[@]}"; do
            IFS='|' read -r path header _ <<<"${INSTRUCTION_PAGES[$i]}"
            for run in 1 2; do
                INSTR[$engine,$i,$run]=$(instructions_per_request "$engine" "127.0.0.1:$((PORT_BASE + 7))" "$path" "$header")
            done
        done
        stop_pid "$CG_PID"
    done
fi

report() {
    local commit
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
    echo "## Speed benchmark ($(date -u +%Y-%m-%dT%H:%MZ), commit $commit)"
    echo
    echo "Machine: $(nproc) cores, $(awk '/^model name/ { $1 = $2 = $3 = ""; print; exit }' /proc/cpuinfo | sed 's/^ *//'), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr); load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS interleaved rounds, medians; stand-in Voucherly answering in ${VOUCHERLY_DELAY_MS} ms; engines: ${ENGINE_LIST[*]}."
    if [ -n "${NOTE:-}" ]; then echo; echo "Note: $NOTE"; fi
    echo
    echo "### The issue's table"
    echo
    echo "| what | engine | measured | goal | |"
    echo "| --- | --- | ---: | ---: | --- |"
    local i engine name goal app bare ratio p99
    for i in "${!SCENARIOS[@]}"; do
        IFS='|' read -r name _ _ goal <<<"${SCENARIOS[$i]}"
        bare=$(column "${ROWS[bare,$i]}" 1)
        for engine in "${ENGINE_LIST[@]}"; do
            app=$(column "${ROWS[$engine,$i]}" 1)
            ratio=$(percent "$app" "$bare")
            echo "| $name: app / bare actix-web req/s | $engine | $ratio % ($app / $bare) | ≥ $goal % | $(mark "$ratio" '>=' "$goal") |"
        done
    done
    for engine in "${ENGINE_LIST[@]}"; do
        p99=$(column "${ROWS[$engine,0]}" 3)
        echo "| profile page p99 at $CONNECTIONS connections | $engine | $p99 ms | ≤ 3 ms | $(mark "$p99" '<=' 3) |"
    done
    for engine in "${ENGINE_LIST[@]}"; do
        read -r loads bad rss <<<"${LONG[$engine]}"
        echo "| resident memory after $loads profile requests over $SHOPPERS shoppers | $engine | $rss MiB | ≤ 48 MiB | $(mark "$rss" '<=' 48) |"
    done
    if [ -n "$NGINX_LINE" ]; then
        local pg_rps pg_p50 pg_p99 pg_bad sq_rps sq_p50 sq_p99
        read -r pg_rps pg_p50 pg_p99 pg_bad sq_rps sq_p50 sq_p99 <<<"$NGINX_LINE"
        ratio=$(percent "$pg_rps" "$sq_rps")
        echo "| profile page: two instances on PostgreSQL behind nginx / one SQLite instance, req/s | postgres ×2 | $ratio % ($pg_rps / $sq_rps) | ≥ 50 % | $(mark "$ratio" '>=' 50) |"
    fi
    for engine in "${ENGINE_LIST[@]}"; do
        if [ -n "${SCALE[$engine]:-}" ]; then
            local answers c2 c3 c4 c5 errors
            read -r answers c2 c3 c4 c5 errors _ <<<"${SCALE[$engine]}"
            local fine=$((c2 + c3)) wrong=$((c4 + c5 + errors))
            echo "| scale run: every answer 2xx/3xx ($answers requests, $SCALE_CONNECTIONS connections) | $engine | $fine of $answers ($wrong not) | all | $(mark "$wrong" '<=' 0) |"
        fi
    done
    echo
    echo "### Each page, app and bare handler"
    echo
    echo "| what | engine | app req/s | app p50 / p99 | bare req/s | bare p50 / p99 | ratio | app non-2xx/3xx |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for i in "${!SCENARIOS[@]}"; do
        IFS='|' read -r name _ _ _ <<<"${SCENARIOS[$i]}"
        bare=$(column "${ROWS[bare,$i]}" 1)
        for engine in "${ENGINE_LIST[@]}"; do
            app=$(column "${ROWS[$engine,$i]}" 1)
            echo "| $name | $engine | $app | $(column "${ROWS[$engine,$i]}" 2) / $(column "${ROWS[$engine,$i]}" 3) ms | $bare | $(column "${ROWS[bare,$i]}" 2) / $(column "${ROWS[bare,$i]}" 3) ms | $(percent "$app" "$bare") % | $(bad_total "${ROWS[$engine,$i]}") |"
        done
    done
    if [ -n "$NGINX_LINE" ]; then
        read -r pg_rps pg_p50 pg_p99 pg_bad sq_rps sq_p50 sq_p99 <<<"$NGINX_LINE"
        echo "| profile page, two instances on PostgreSQL behind nginx (bare: one SQLite instance, same rounds) | postgres ×2 | $pg_rps | $pg_p50 / $pg_p99 ms | $sq_rps | $sq_p50 / $sq_p99 ms | $(percent "$pg_rps" "$sq_rps") % | $pg_bad |"
    fi
    if [ "$INSTRUCTIONS" = 1 ]; then
        echo
        echo "### Instructions per request (callgrind, $INSTRUCTION_REQUESTS requests on one connection, every thread of the app; twice)"
        echo
        echo "| page | engine | first count | second count | difference | lower (compare this) |"
        echo "| --- | --- | ---: | ---: | ---: | ---: |"
        local label a b
        for i in "${!INSTRUCTION_PAGES[@]}"; do
            IFS='|' read -r _ _ label <<<"${INSTRUCTION_PAGES[$i]}"
            for engine in "${ENGINE_LIST[@]}"; do
                a=${INSTR[$engine,$i,1]}; b=${INSTR[$engine,$i,2]}
                echo "| $label | $engine | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN { d = (a > 0) ? 100 * (b - a) / a : 0; printf "%+.1f %%", d }') | $((a < b ? a : b)) |"
            done
        done
    fi
    if [ "$SCALE_RUN" = 1 ]; then
        echo
        echo "### The scale run ($SCALE_REQUESTS requests, $SHOPPERS shoppers, $SCALE_CONNECTIONS connections, wrk -t$THREADS; 4/10 profiles, 2/10 profiles with a pay form, 2/10 history pages, 2/10 static files)"
        echo
        echo "| engine | answers | 2xx | 3xx | 4xx | 5xx | socket errors | p50 | p90 | p99 | max | seconds | RSS after |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for engine in "${ENGINE_LIST[@]}"; do
            read -r answers c2 c3 c4 c5 errors p50 p90 p99 max seconds rss <<<"${SCALE[$engine]}"
            echo "| $engine | $answers | $c2 | $c3 | $c4 | $c5 | $errors | $p50 ms | $p90 ms | $p99 ms | $max ms | $seconds | $rss MiB |"
        done
    fi
    echo
    echo "### Besides"
    echo
    echo "- 200 concurrent cold loads of one shopper's profile (SQLite): statuses $BURST; Voucherly calls $COLD_CALLS."
    echo "- Steady load (${STEADY_SECONDS} s of the rounds above, one shopper, every engine): Voucherly calls $STEADY_CALLS."
    for engine in "${ENGINE_LIST[@]}"; do
        read -r loads bad rss <<<"${LONG[$engine]}"
        echo "- Resident memory, $engine: ${RSS_BEFORE[$engine]} MiB after the rounds above; $rss MiB after $loads profile loads over $SHOPPERS shoppers (non-2xx/3xx: $bad)."
    done
    echo "- SQLite database file before the callgrind runs: $DB_MIB MiB, its write-ahead log $WAL_MIB MiB."
    for engine in "${!FLAMES[@]}"; do
        echo "- Flame graph of the profile page under load, $engine: \`${FLAMES[$engine]}\`."
    done
}

report | tee "$RESULTS/$STAMP.md"
echo >&2
echo "written to $RESULTS/$STAMP.md" >&2
