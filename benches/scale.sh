# Sourced by benches/run.sh: the scale run. SCALE_REQUESTS requests over SCALE_CONNECTIONS
# concurrent connections (wrk -t$THREADS -c$SCALE_CONNECTIONS, benches/mix.lua), spread over
# every signed-in shopper's cookies and mixing profiles, profiles with a pay form, history pages
# and static files; each wrk thread stops after its share. Every answer must be 2xx/3xx: the
# script counts them by class, with wrk's socket errors (a connection refused or timed out
# counts there, not as an answer).

# scale_run URL COOKIES PID: prints one line, "answers 2xx 3xx 4xx 5xx errors p50 p90 p99 max
# seconds rss_mib".
scale_run() {
    local url=$1 cookies=$2 pid=$3 out
    out=$(wrk_until "$SCALE_CONNECTIONS" benches/mix.lua "$url" "$SCALE_REQUESTS" "$cookies")
    awk -v rss="$(rss_mib "$pid")" '
        $1 == "MIX" && $2 == "answers" { a = $3; c2 = $7; c3 = $9; c4 = $11; c5 = $13 }
        $1 == "MIX" && $2 == "errors" { e = $4 + $6 + $8 + $10 }
        $1 == "MIX" && $2 == "latency_ms" { p50 = $4; p90 = $6; p99 = $8; max = $10 }
        $1 == "MIX" && $2 == "seconds" { s = $3 }
        END { print a, c2, c3, c4, c5, e, p50, p90, p99, max, s, rss }
    ' <<<"$out"
}
