#!/usr/bin/env bash
# A real, throwaway PostgreSQL server on 127.0.0.1 for tests (the job store's and end-to-end's):
#   throwaway-postgres.sh start DIR   initdb into DIR, start on a free port, wait until it accepts
#                                     connections, print postgres://vitrine@127.0.0.1:PORT/postgres
#   throwaway-postgres.sh createdb DIR NAME   make database NAME there and print its URL
#   throwaway-postgres.sh stop DIR    stop it at once and delete DIR
# Role "vitrine" is a superuser with trust auth on loopback (so tests may CREATE DATABASE).
# A watchdog stops the server when the process that started it (the test runner; $PPID, or
# THROWAWAY_PG_OWNER; 0 for none) exits, so a crashed or killed test run leaves no server behind.
# initdb refuses to run as root: as root the server runs as user postgres via runuser.
# Missing binaries fail (exit 2) with a message: CI installs them with Scripts/install-deps.sh.
set -euo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
die() { echo "throwaway-postgres: $1" >&2; exit "${2:-1}"; }

usage="usage: $0 start|stop DIR | createdb DIR NAME"
command=${1:-}; dir=${2:-}; name=${3:-}
[[ -n "$command" && -n "$dir" ]] || die "$usage"

# Newest installed server, found by glob; PG_BIN overrides; else whatever is on PATH.
find_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "PG_BIN=$PG_BIN has no initdb and pg_ctl" 2
        echo "$PG_BIN"; return
    fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$found" && -x "$found/pg_ctl" ]]; then echo "$found"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    die "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or on PATH; install them with Scripts/install-deps.sh (Debian package postgresql)" 2
}

# Runs a server command as the user that owns DIR: postgres when we are root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs user 'postgres' (Debian package postgresql creates it)" 2
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

close_inherited_fds() {
    # The server and watchdog outlive this script: they must hold none of the caller's open
    # files. Foundation's Process, for one, waits for every holder of a socket it passed us to
    # close it before it sees us exit.
    local fd
    for fd in $(ls /proc/$$/fd 2>/dev/null); do
        [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null || true
    done
}

start() {
    local bin data sock log port url owner attempt
    close_inherited_fds
    bin=$(find_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data=$dir/data; sock=$dir/sock; log=$dir/postgres.log
    [[ ! -e "$data" ]] || die "$data exists: stop the server there first, or use a new folder"
    mkdir -p "$sock"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres: "$dir"
        as_owner test -w "$dir" || die "user postgres cannot write $dir (is a parent folder closed to it?)"
    fi
    as_owner "$bin/initdb" -D "$data" --auth=trust -U vitrine -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
        || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"

    # A port free now may be taken before the server binds it: try a few.
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        port_in_use "$port" && continue
        if as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
            -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >>"$dir/pg_ctl.log" 2>&1; then
            break
        fi
        port=""
    done
    [[ -n "$port" ]] || die "server did not start: $(tail -n 5 "$log" 2>/dev/null)"
    echo "$port" >"$dir/port"

    # pg_ctl -w waited for the postmaster; wait for TCP to accept a session too.
    for attempt in $(seq 1 100); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U vitrine -d postgres && break
        [[ $attempt -lt 100 ]] || { stop_server; die "server on port $port never accepted connections"; }
        sleep 0.1
    done

    owner=${THROWAWAY_PG_OWNER:-$PPID}
    if [[ "$owner" != 0 ]]; then
        # Detached, and holding none of our output open (the caller reads it to the end).
        setsid nohup bash -c '
            while kill -0 "$1" 2>/dev/null && [[ -d "$2" ]]; do sleep 1; done
            [[ -d "$2" ]] && "$0" stop "$3" >/dev/null 2>&1 || true
        ' "$self" "$owner" "$data" "$dir" </dev/null >/dev/null 2>&1 &
    fi

    url="postgres://vitrine@127.0.0.1:$port/postgres"
    echo "$url"
}

createdb() {
    local bin port
    bin=$(find_bin)
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "database name must be lower-case letters, digits and _: '$name'"
    port=$(cat "$dir/port" 2>/dev/null) || die "no server started in $dir"
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U vitrine "$name" || die "createdb $name failed"
    echo "postgres://vitrine@127.0.0.1:$port/$name"
}

stop_server() {
    local bin
    bin=$(find_bin)
    [[ -d "$dir/data" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

stop() {
    [[ -d "$dir" ]] || return 0
    dir=$(cd "$dir" && pwd)
    stop_server
    rm -rf "$dir"
}

case "$command" in
    start) start ;;
    createdb) createdb ;;
    stop) stop ;;
    *) die "$usage" ;;
esac
