#!/usr/bin/env bash
# Two instances of the app on one PostgreSQL database, behind nginx, all on loopback: what
# "Run it at scale" in the README describes, on one machine, to try it or to test it.
#
#   deploy/run-two-instances.sh           # prints nginx's URL and waits; Ctrl-C stops it all
#   deploy/run-two-instances.sh --check   # starts it all, checks it answers, stops (exit 0/1)
#
# It starts, in a temporary folder removed at the end:
#   - a PostgreSQL server (Debian's `postgresql`): `initdb` as an unprivileged user, on a free
#     port, and a database `voucherly_account` on it;
#   - two instances of the app, each on its own free port, both `--database postgres://…` on
#     that database, with the same secrets (session key, store API key, webhook secret), the
#     same public URL (nginx's address), the same embedded sandbox file, and each its own
#     callback spool;
#   - nginx (Debian's `nginx-light`) from deploy/nginx.conf.template, balancing the two.
# Missing packages are installed with apt-get, as root or with sudo.
#
# The app is `cargo build --release`'s, or the binary VOUCHERLY_ACCOUNT_BIN names. The secrets
# are random for each run unless VOUCHERLY_ACCOUNT_SESSION_KEY, VOUCHERLY_ACCOUNT_STORE_API_KEY
# or VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET are set.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *)
    echo "usage: $0 [--check]" >&2
    exit 2
    ;;
esac

say() { echo "run-two-instances: $*" >&2; }

# Runs apt-get as root: directly, through sudo, or explains what to install by hand.
apt_install() {
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      apt=(sudo env DEBIAN_FRONTEND=noninteractive apt-get)
    else
      say "these packages are missing: $*; install them as root (apt-get install $*)"
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "no apt-get here; install $* with your package manager"
    exit 1
  fi
  say "installing $* with apt-get"
  "${apt[@]}" update -qq
  "${apt[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}

# A port nobody listens on now, on loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# `bytes` random bytes, as hex digits.
random_hex() {
  od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# The HTTP status of a GET (000 when nothing answers).
status_of() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true
}

# Waits up to 60 s for `url` to answer 200; says what `log` holds when it does not.
wait_ready() {
  local url=$1 log=$2 pid=$3
  for _ in $(seq 1 300); do
    if [ "$(status_of "$url")" = 200 ]; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.2
  done
  say "$url never answered 200; the end of $log:"
  tail -n 30 "$log" >&2 || true
  return 1
}

# What is needed: PostgreSQL's server programs, nginx, curl and python3.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
missing=()
if [ -z "$pg_bin" ]; then missing+=(postgresql); fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then missing+=(nginx-light); fi
if ! command -v curl >/dev/null 2>&1; then missing+=(curl); fi
if ! command -v python3 >/dev/null 2>&1; then missing+=(python3); fi
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# The app.
if [ -n "${VOUCHERLY_ACCOUNT_BIN:-}" ]; then
  app_bin=$(realpath "$VOUCHERLY_ACCOUNT_BIN")
else
  say "building the app (cargo build --release)"
  cargo build --release --quiet
  app_bin=$(realpath target/release/voucherly-account)
fi

# Everything lives in one temporary folder; stopping removes it.
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/voucherly-two-instances.XXXXXX")
pids=()
as_pg=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -f "$run_dir/pg/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$run_dir/pg/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'say stopping; exit 130' INT TERM

mkdir -p "$run_dir/pg" "$run_dir/nginx" "$run_dir/instance-a" "$run_dir/instance-b"
# initdb refuses to run as root: then the server runs as the `postgres` user the package made,
# and nginx's workers as `nobody`: both need to reach their folders.
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$run_dir" "$run_dir/nginx"
  chown postgres "$run_dir/pg"
  as_pg=(runuser -u postgres --)
fi

# PostgreSQL: trust on loopback only, for this run only.
pg_port=$(free_port)
"${as_pg[@]}" "$pg_bin/initdb" -D "$run_dir/pg/data" -U voucherly --auth=trust -E UTF8 \
  >"$run_dir/pg/initdb.log" 2>&1 || { cat "$run_dir/pg/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$run_dir/pg/data" -l "$run_dir/pg/server.log" -w -o \
  "-p $pg_port -k $run_dir/pg -c listen_addresses=127.0.0.1" \
  start >/dev/null || { cat "$run_dir/pg/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U voucherly voucherly_account
database_url="postgres://voucherly@127.0.0.1:$pg_port/voucherly_account"
say "PostgreSQL on 127.0.0.1:$pg_port"

# What both instances share: the database, the public URL (nginx's), the secrets (given, so
# that no instance relies on another having generated them), the embedded sandbox's file.
nginx_port=$(free_port)
public_url="http://127.0.0.1:$nginx_port"
export VOUCHERLY_ACCOUNT_DATABASE="$database_url"
export VOUCHERLY_ACCOUNT_PUBLIC_URL="$public_url"
export VOUCHERLY_ACCOUNT_TRUSTED_PROXIES=127.0.0.1
export VOUCHERLY_ACCOUNT_SANDBOX_DATABASE="$run_dir/sandbox.db"
export VOUCHERLY_ACCOUNT_SESSION_KEY="${VOUCHERLY_ACCOUNT_SESSION_KEY:-$(random_hex 64)}"
export VOUCHERLY_ACCOUNT_STORE_API_KEY="${VOUCHERLY_ACCOUNT_STORE_API_KEY:-sk_store_$(random_hex 32)}"
export VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET="${VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET:-whsec_$(random_hex 32)}"

# The instances, one after the other (the first creates the schema and the sandbox's file),
# each in its own folder with its own port, log and callback spool.
declare -A instance_url
for name in a b; do
  port=$(free_port)
  dir="$run_dir/instance-$name"
  (cd "$dir" && exec "$app_bin" --bind "127.0.0.1:$port" \
    --callback-spool "$dir/callbacks.spool") >"$dir/log" 2>&1 &
  pids+=("$!")
  instance_url[$name]="http://127.0.0.1:$port"
  wait_ready "${instance_url[$name]}/health/ready" "$dir/log" "$!"
  say "instance $name on 127.0.0.1:$port (log: $dir/log)"
done

# nginx in front, from the template.
sed -e "s|@RUN_DIR@|$run_dir/nginx|g" \
  -e "s|@LISTEN@|127.0.0.1:$nginx_port|g" \
  -e "s|@INSTANCE_A@|${instance_url[a]#http://}|g" \
  -e "s|@INSTANCE_B@|${instance_url[b]#http://}|g" \
  deploy/nginx.conf.template >"$run_dir/nginx/nginx.conf"
"$nginx_bin" -p "$run_dir/nginx" -e "$run_dir/nginx/error.log" -c "$run_dir/nginx/nginx.conf" &
pids+=("$!")
wait_ready "$public_url/health/live" "$run_dir/nginx/error.log" "$!"

if [ "$mode" = check ]; then
  failed=0
  ready=$(status_of "$public_url/health/ready")
  if [ "$ready" = 200 ]; then
    say "ok: GET /health/ready through nginx is 200"
  else
    say "FAILED: GET /health/ready through nginx is $ready"
    failed=1
  fi
  for name in a b; do
    ready=$(status_of "${instance_url[$name]}/health/ready")
    if [ "$ready" = 200 ]; then
      say "ok: instance $name's own /health/ready is 200"
    else
      say "FAILED: instance $name's own /health/ready is $ready"
      failed=1
    fi
  done
  # nginx takes turns: a few requests reach both (it names which in X-Upstream).
  upstreams=$(for _ in 1 2 3 4 5 6; do
    curl -s -o /dev/null -D - --max-time 5 "$public_url/health/ready" \
      | tr -d '\r' | sed -n 's/^[Xx]-[Uu]pstream: //p'
  done | sort -u)
  for name in a b; do
    if grep -qx "${instance_url[$name]#http://}" <<<"$upstreams"; then
      say "ok: nginx sent requests to instance $name"
    else
      say "FAILED: nginx sent no request to instance $name (it answered from: $upstreams)"
      failed=1
    fi
  done
  exit "$failed"
fi

echo "voucherly-account: two instances behind nginx at $public_url/ (Ctrl-C stops them)"
# Waits until Ctrl-C, or until one of them stops by itself.
set +e
wait -n "${pids[@]}"
say "a process stopped by itself (logs in $run_dir, removed now); stopping the rest"
exit 1
