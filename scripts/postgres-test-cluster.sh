#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start` initialises one in a temporary folder as an
# unprivileged user, listening on 127.0.0.1 only, with trust authentication on loopback, and prints
#   export AGENTSCHED_TEST_POSTGRES_URL=postgres://agentsched@127.0.0.1:PORT/postgres
# on standard output (eval it); `stop` stops it and deletes the folder.
#
# Environment: AGENTSCHED_TEST_POSTGRES_PORT (default 54329); AGENTSCHED_TEST_POSTGRES_OS_USER, the
# account that runs the server when this script runs as root (default agentsched-pg, created when missing);
# AGENTSCHED_TEST_POSTGRES_LISTEN, the addresses to listen on (default 127.0.0.1; the multi-host test
# adds the addresses of the network namespaces it made) and AGENTSCHED_TEST_POSTGRES_TRUST, a network
# whose clients are trusted too (default none: loopback only).
set -euo pipefail

port="${AGENTSCHED_TEST_POSTGRES_PORT:-54329}"
state="${TMPDIR:-/tmp}/agentsched-postgres-test-$port.folder"
os_user="${AGENTSCHED_TEST_POSTGRES_OS_USER:-agentsched-pg}"
listen="${AGENTSCHED_TEST_POSTGRES_LISTEN:-127.0.0.1}"
trusted="${AGENTSCHED_TEST_POSTGRES_TRUST:-}"

# The server's programs: pg_config's bindir, else Debian's versioned folders, else the PATH.
find_bindir() {
    local candidates=()
    if command -v pg_config >/dev/null 2>&1; then candidates+=("$(pg_config --bindir)"); fi
    for folder in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do candidates+=("$folder"); done
    for folder in "${candidates[@]}"; do
        if [ -x "$folder/initdb" ] && [ -x "$folder/pg_ctl" ]; then
            echo "$folder"
            return
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    echo "postgres-test-cluster: no initdb and pg_ctl found (install postgresql)" >&2
    exit 1
}

# Runs a command as the server's account: root cannot run initdb or the server.
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u "$os_user" -- "$@"
        else
            su -s /bin/sh "$os_user" -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

start() {
    if [ -f "$state" ] && [ -d "$(cat "$state")" ]; then
        echo "postgres-test-cluster: a cluster already runs from $(cat "$state"); stop it first" >&2
        exit 1
    fi
    local bindir folder
    bindir="$(find_bindir)"
    if [ "$(id -u)" = 0 ] && ! id "$os_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
    fi
    folder="$(mktemp -d "${TMPDIR:-/tmp}/agentsched-postgres.XXXXXX")"
    chmod 755 "$folder"
    mkdir "$folder/data" "$folder/socket"
    if [ "$(id -u)" = 0 ]; then chown -R "$os_user" "$folder"; fi
    echo "$folder" >"$state"
    as_server_user "$bindir/initdb" -D "$folder/data" -U agentsched --auth=trust --encoding=UTF8 --locale=C \
        >"$folder/initdb.log" 2>&1 || { cat "$folder/initdb.log" >&2; exit 1; }
    if [ -n "$trusted" ]; then
        echo "host all all $trusted trust" >>"$folder/data/pg_hba.conf"
    fi
    as_server_user "$bindir/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
        -o "-k $folder/socket -p $port -c listen_addresses=$listen -c max_connections=200 -c fsync=off" \
        start >&2 || { cat "$folder/server.log" >&2; exit 1; }
    echo "export AGENTSCHED_TEST_POSTGRES_URL=postgres://agentsched@${listen%%,*}:$port/postgres"
}

stop() {
    if [ ! -f "$state" ]; then
        echo "postgres-test-cluster: no cluster is running on port $port" >&2
        return 0
    fi
    local folder bindir
    folder="$(cat "$state")"
    bindir="$(find_bindir)"
    if [ -d "$folder/data" ]; then
        as_server_user "$bindir/pg_ctl" -D "$folder/data" -m fast -w stop >&2 || true
    fi
    rm -rf "$folder" "$state"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
