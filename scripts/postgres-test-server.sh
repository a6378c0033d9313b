#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 and a free port.
#
#   eval "$(scripts/postgres-test-server.sh start)"   # exports GENERA_TEST_PG_URL and GENERA_TEST_PG_DIR
#   scripts/postgres-test-server.sh stop "$GENERA_TEST_PG_DIR"
#
# The cluster lives in a temporary folder (trust authentication, fsync off: for tests only) and
# is removed by `stop`. Run as root, the server runs as the `postgres` user (created if
# missing), since PostgreSQL refuses to run as root. Needs the Debian package `postgresql`
# (binaries in /usr/lib/postgresql/<version>/bin) or PGBIN pointing at the binaries.
set -euo pipefail

find_bin() {
    if [[ -n "${PGBIN:-}" ]]; then echo "$PGBIN"; return; fi
    if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir; return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
        echo "postgres-test-server: no PostgreSQL binaries (apt-get install postgresql)" >&2
        exit 3
    fi
    echo "$dir"
}

as_server_user() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u "$SERVER_USER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SERVER_USER=postgres
if [[ "$(id -u)" == 0 ]] && ! id "$SERVER_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVER_USER"
fi

case "${1:-start}" in
start)
    bin=$(find_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/genera-pg.XXXXXX")
    chmod 755 "$dir"
    [[ "$(id -u)" == 0 ]] && chown "$SERVER_USER" "$dir"
    as_server_user "$bin/initdb" -D "$dir/data" -U genera --auth=trust -E UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 4; }
    for attempt in 1 2 3; do
        port=$(free_port)
        if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            echo "export GENERA_TEST_PG_URL=postgresql://genera@127.0.0.1:$port/postgres"
            echo "export GENERA_TEST_PG_DIR=$dir"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2
    exit 5
    ;;
stop)
    dir=${2:?usage: $0 stop DIR}
    bin=$(find_bin)
    if [[ -d "$dir/data" ]]; then
        as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in
        */genera-pg.*) rm -rf "$dir" ;;
        *) echo "postgres-test-server: refusing to remove $dir" >&2; exit 2 ;;
    esac
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
