#!/usr/bin/env bash
# Makes a PostgreSQL database available to Tributary and prints the settings to reach it.
#
#   scripts/postgres.sh env [DB]   ensure DB (default: tributary) exists; print `export QUARKUS_DATASOURCE_*=...`
#   scripts/postgres.sh stop       stop the private cluster this script started (if any)
#   scripts/postgres.sh status     say which server would be used
#
# Where the database comes from, in order:
#   1. QUARKUS_DATASOURCE_JDBC_URL / QUARKUS_DATASOURCE_REACTIVE_URL already set: used as given.
#   2. PGHOST (with PGPORT, PGUSER, PGPASSWORD) set: that server.
#   3. A server on localhost:5432 that accepts the project's credentials (tributary/tributary).
#   4. Otherwise a private throw-away cluster from the PostgreSQL binaries on this machine:
#      initdb into .postgres/ (git-ignored; TRIBUTARY_PG_DIR), its own port (TRIBUTARY_PG_PORT,
#      default 55432), trust authentication on loopback only. As root, the server runs as an
#      unprivileged user.
# TRIBUTARY_PG_PRIVATE=1 skips 1-3: always the private cluster (the reliability scenarios stop and
# start their own server, never one they merely found).
#
# Informational messages go to stderr so that `eval "$(scripts/postgres.sh env)"` stays clean.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_USER="${TRIBUTARY_DB_USER:-tributary}"
APP_PASSWORD="${TRIBUTARY_DB_PASSWORD:-tributary}"
PRIVATE_PORT="${TRIBUTARY_PG_PORT:-55432}"
PRIVATE_DIR="${TRIBUTARY_PG_DIR:-${ROOT}/.postgres}"

say() { echo "postgres.sh: $*" >&2; }

find_pg_bin() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir 2>/dev/null || true)"
    if [ -x "${dir}/initdb" ]; then echo "${dir}"; return 0; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r) \
    /usr/local/pgsql/bin /opt/homebrew/bin /usr/local/bin /usr/bin; do
    if [ -x "${dir}/initdb" ] && [ -x "${dir}/pg_ctl" ]; then echo "${dir}"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

psql_bin() {
  if command -v psql >/dev/null 2>&1; then command -v psql; return; fi
  local bin; bin="$(find_pg_bin || true)"
  [ -n "${bin}" ] && [ -x "${bin}/psql" ] && { echo "${bin}/psql"; return; }
  echo ""
}

# can_connect HOST PORT USER PASSWORD DB
can_connect() {
  local psql; psql="$(psql_bin)"
  [ -n "${psql}" ] || return 1
  PGPASSWORD="$4" PGCONNECT_TIMEOUT=3 "${psql}" -h "$1" -p "$2" -U "$3" -d "$5" -Atqc 'select 1' >/dev/null 2>&1
}

# ensure_database HOST PORT USER PASSWORD DB
ensure_database() {
  local psql; psql="$(psql_bin)"
  if PGPASSWORD="$4" "${psql}" -h "$1" -p "$2" -U "$3" -d postgres -Atqc \
    "select 1 from pg_database where datname = '$5'" 2>/dev/null | grep -q 1; then
    return 0
  fi
  # CREATE DATABASE cannot run in a transaction; a concurrent creator makes this fail harmlessly.
  PGPASSWORD="$4" "${psql}" -h "$1" -p "$2" -U "$3" -d postgres -qc "create database \"$5\"" >/dev/null 2>&1 || true
  can_connect "$1" "$2" "$3" "$4" "$5"
}

print_env() { # HOST PORT USER PASSWORD DB
  cat <<EOF
export QUARKUS_DATASOURCE_USERNAME='$3'
export QUARKUS_DATASOURCE_PASSWORD='$4'
export QUARKUS_DATASOURCE_JDBC_URL='jdbc:postgresql://$1:$2/$5'
export QUARKUS_DATASOURCE_REACTIVE_URL='postgresql://$1:$2/$5'
EOF
}

unprivileged_user() {
  if [ "$(id -u)" -ne 0 ]; then echo ""; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

as_server_user() { # runs "$@" as the user that owns the private cluster
  local user; user="$(unprivileged_user)"
  if [ -z "${user}" ]; then "$@"; return; fi
  if command -v runuser >/dev/null 2>&1; then
    runuser -u "${user}" -- "$@"
  else
    su -s /bin/sh "${user}" -c "$(printf '%q ' "$@")"
  fi
}

# Where a cluster goes when the server user cannot reach PRIVATE_DIR: one per PRIVATE_DIR.
fallback_dir() { echo "/tmp/tributary-postgres-$(echo "${PRIVATE_DIR}" | cksum | cut -d' ' -f1)"; }

private_dir() {
  # The unprivileged server user must be able to reach the data folder; when the checkout sits
  # somewhere it cannot traverse (e.g. under /root), fall back to a folder under /tmp.
  local user; user="$(unprivileged_user)"
  mkdir -p "${PRIVATE_DIR}"
  if [ -n "${user}" ]; then
    chown "${user}" "${PRIVATE_DIR}"
    if ! as_server_user test -w "${PRIVATE_DIR}"; then
      local fallback; fallback="$(fallback_dir)"
      mkdir -p "${fallback}" && chown "${user}" "${fallback}" && chmod 700 "${fallback}"
      echo "${fallback}"
      return
    fi
  fi
  echo "${PRIVATE_DIR}"
}

start_private_cluster() {
  local bin dir data log
  if ! bin="$(find_pg_bin)"; then
    say "no PostgreSQL server binaries (initdb, pg_ctl) found on this machine and no server to reuse."
    say "Install them, e.g. 'apt-get install postgresql' (Debian/Ubuntu), 'dnf install postgresql-server'"
    say "(Fedora), 'brew install postgresql@15' (macOS), or point QUARKUS_DATASOURCE_* / PG* at a server."
    exit 3
  fi
  dir="$(private_dir)"
  data="${dir}/data"
  log="${dir}/server.log"
  if [ ! -f "${data}/PG_VERSION" ]; then
    say "initialising a private cluster in ${data} (binaries: ${bin})"
    as_server_user "${bin}/initdb" -D "${data}" -U "${APP_USER}" --auth=trust -E UTF8 --locale=C >/dev/null
    cat >>"${data}/postgresql.conf" <<EOF
# Tributary's private development cluster (scripts/postgres.sh)
listen_addresses = '127.0.0.1'
port = ${PRIVATE_PORT}
unix_socket_directories = ''
max_connections = 200
shared_buffers = 256MB
# Checkpoints every 15 min or 4 GB of WAL rather than every 1 GB: sustained ingestion at tens
# of thousands of events per second otherwise checkpoints every few seconds. fsync and
# synchronous_commit stay on: a 200 means committed.
max_wal_size = 4GB
checkpoint_timeout = 15min
EOF
    # The page images written after each checkpoint, compressed: with thousands of sources, every
    # index page an insert touches gets one. Measured with bench/ceiling.sql at 10,000 sources:
    # 6-8% more rows/s (root README, "Where the time goes"); the prod overlay's
    # database.yaml sets the same. Only where the server was built with lz4.
    if "${bin}/pg_config" --configure 2>/dev/null | grep -q -- '--with-lz4'; then
      echo "wal_compression = lz4" >>"${data}/postgresql.conf"
    fi
  fi
  if ! as_server_user "${bin}/pg_ctl" -D "${data}" status >/dev/null 2>&1; then
    say "starting the private cluster on 127.0.0.1:${PRIVATE_PORT} (log: ${log})"
    as_server_user touch "${log}" 2>/dev/null || true
    # 9>&-: the server must not inherit (and so hold forever) the starter lock.
    as_server_user "${bin}/pg_ctl" -D "${data}" -l "${log}" -w -t 60 start >/dev/null 9>&-
  fi
}

cmd_env() {
  local db="${1:-${TRIBUTARY_DB_NAME:-tributary}}"
  if [ "${TRIBUTARY_PG_PRIVATE:-0}" = "1" ]; then
    private_env "${db}"
    return 0
  fi
  if [ -n "${QUARKUS_DATASOURCE_JDBC_URL:-}${QUARKUS_DATASOURCE_REACTIVE_URL:-}" ]; then
    say "using the QUARKUS_DATASOURCE_* settings already given"
    local var
    for var in QUARKUS_DATASOURCE_USERNAME QUARKUS_DATASOURCE_PASSWORD QUARKUS_DATASOURCE_JDBC_URL \
      QUARKUS_DATASOURCE_REACTIVE_URL; do
      [ -n "${!var:-}" ] && echo "export ${var}='${!var}'"
    done
    return 0
  fi
  if [ -n "${PGHOST:-}" ]; then
    local host="${PGHOST}" port="${PGPORT:-5432}" user="${PGUSER:-${APP_USER}}" pass="${PGPASSWORD:-${APP_PASSWORD}}"
    db="${PGDATABASE:-${db}}"
    ensure_database "${host}" "${port}" "${user}" "${pass}" "${db}" ||
      { say "cannot reach database ${db} on ${host}:${port} as ${user}"; exit 2; }
    print_env "${host}" "${port}" "${user}" "${pass}" "${db}"
    return 0
  fi
  if can_connect localhost 5432 "${APP_USER}" "${APP_PASSWORD}" postgres; then
    say "reusing the server on localhost:5432"
    ensure_database localhost 5432 "${APP_USER}" "${APP_PASSWORD}" "${db}" ||
      { say "cannot create database ${db} on localhost:5432"; exit 2; }
    print_env localhost 5432 "${APP_USER}" "${APP_PASSWORD}" "${db}"
    return 0
  fi
  private_env "${db}"
}

private_env() {
  local db="$1"
  (
    # One starter at a time: several services or test JVMs may ask at once.
    mkdir -p "${PRIVATE_DIR}"
    exec 9>"${PRIVATE_DIR}/.lock"
    flock 9
    if ! can_connect 127.0.0.1 "${PRIVATE_PORT}" "${APP_USER}" "${APP_PASSWORD}" postgres; then
      start_private_cluster
    elif [ "${TRIBUTARY_PG_PRIVATE:-0}" = "1" ] && ! private_cluster_running; then
      # Whoever asked for their own cluster will stop and start it: a server they merely found
      # on the port (another checkout's) would not stop, and theirs would never start.
      say "port ${PRIVATE_PORT} is taken by a server outside ${PRIVATE_DIR}; set TRIBUTARY_PG_PORT to a free port"
      exit 2
    fi
    ensure_database 127.0.0.1 "${PRIVATE_PORT}" "${APP_USER}" "${APP_PASSWORD}" "${db}" ||
      { say "the private cluster on port ${PRIVATE_PORT} does not accept ${APP_USER}; see its server.log"; exit 2; }
  )
  print_env 127.0.0.1 "${PRIVATE_PORT}" "${APP_USER}" "${APP_PASSWORD}" "${db}"
}

# private_cluster_running: whether the cluster of PRIVATE_DIR (or its fallback folder) is running.
private_cluster_running() {
  local bin dir
  bin="$(find_pg_bin)" || return 1
  for dir in "${PRIVATE_DIR}" "$(fallback_dir)"; do
    [ -f "${dir}/data/PG_VERSION" ] && as_server_user "${bin}/pg_ctl" -D "${dir}/data" status >/dev/null 2>&1 && return 0
  done
  return 1
}

cmd_stop() {
  local bin dir
  bin="$(find_pg_bin)" || { say "no PostgreSQL binaries"; return 0; }
  for dir in "${PRIVATE_DIR}" "$(fallback_dir)"; do
    if [ -f "${dir}/data/PG_VERSION" ]; then
      as_server_user "${bin}/pg_ctl" -D "${dir}/data" -m fast stop >/dev/null 2>&1 && say "stopped ${dir}/data" || true
    fi
  done
}

case "${1:-env}" in
  env) shift || true; cmd_env "$@" ;;
  stop) cmd_stop ;;
  status) cmd_env "${2:-}" >/dev/null && say "ready" ;;
  *) echo "usage: $0 [env [DB]|stop|status]" >&2; exit 64 ;;
esac
