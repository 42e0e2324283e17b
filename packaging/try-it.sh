#!/usr/bin/env bash
# Tries wal-j's main job end to end on this machine with the local-file backend, nothing to configure:
# a throwaway PostgreSQL cluster archives its WAL with `wal-j wal-push %p`; `wal-j backup-push` takes a base backup
# while pgbench writes; `wal-j backup-list` lists it; `wal-j backup-fetch DIR LATEST` restores it into a new
# directory, which recovers from the archive with `wal-j wal-fetch %f %p`; the two are compared.
# The servers listen only on Unix sockets in a directory of their own (no TCP port, so nothing can collide).
# Needs: the built jar (./mvnw -q -B -DskipTests package) and PostgreSQL's server programs (Debian: postgresql-15).
# Everything lives under one directory in /tmp, printed at the end, the runtime directory of the daemon that wal-j's
# launcher starts on demand included (XDG_RUNTIME_DIR); the servers and that daemon are stopped on exit.
# Usage: try-it.sh [--wal-j COMMAND]   COMMAND: an installed wal-j (the Debian package's /usr/bin/wal-j, a tarball's
#        bin/wal-j) to run instead of a copy of this checkout's launcher and jar.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
installed=
while [ $# -gt 0 ]; do
  case $1 in
    --wal-j) [ $# -ge 2 ] || { echo "try-it: --wal-j needs a command" >&2; exit 2; }; installed=$2; shift 2 ;;
    *) echo "try-it: unknown argument $1 (usage: try-it.sh [--wal-j COMMAND])" >&2; exit 2 ;;
  esac
done
if [ -n "$installed" ]; then
  [ -x "$installed" ] || { echo "try-it: $installed is not an executable" >&2; exit 1; }
else
  jar=${WALJ_JAR:-$here/../target/wal-j.jar}
  [ -f "$jar" ] || { echo "try-it: $jar not found; build it first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
fi
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pgbin/initdb" ] || { echo "try-it: PostgreSQL server programs not found (install postgresql-15, or set PGBIN)" >&2; exit 1; }

work=$(mktemp -d /tmp/wal-j-try.XXXXXX)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$work"       # PostgreSQL refuses to run as root
  as_pg=(runuser -u postgres --)
fi
run() { "${as_pg[@]}" "$@"; }
# The daemon that the first wal-push starts on demand (docs/daemon.md) lives in a runtime directory of this run's own,
# not the user's /tmp/wal-j-UID: cleanup finds exactly the daemons this run started, and none outlives it.
export XDG_RUNTIME_DIR=$work/run
run mkdir -m 700 "$XDG_RUNTIME_DIR"

run mkdir -p "$work/bin" "$work/archive/wal_005"   # a new archive, as README says: the directory with wal_005/
if [ -n "$installed" ]; then
  walj_bin=$installed
else
  cp "$here/wal-j" "$jar" "$work/bin/" && chmod 755 "$work/bin/wal-j" && chmod 644 "$work/bin/wal-j.jar"
  walj_bin=$work/bin/wal-j
fi
prefix="file://localhost$work/archive"
walj="env WALE_FILE_PREFIX=$prefix $walj_bin"
echo "==> wal-j: $walj_bin ($(run "$walj_bin" version))"

# The launcher's start-up leaves <key>.pid (the daemon's session leader: kill -- -PID stops all of it) while the
# daemon runs, and holds <key>.lock until it has gone.
stop_daemons() {
  local rd=$XDG_RUNTIME_DIR/wal-j pid lock leader
  for _ in $(seq 1 100); do
    for pid in "$rd"/*.pid; do
      # the daemon's start removes its pid file when it stops: gone between the glob and the read is stopping
      leader=
      read -r leader 2>/dev/null <"$pid" || continue
      [ -n "$leader" ] && kill -TERM -- "-$leader" 2>/dev/null || true
    done
    local held=
    for lock in "$rd"/*.lock; do
      [ -f "$lock" ] && ! flock -n "$lock" true 2>/dev/null && held=1
    done
    [ -z "$held" ] && return 0
    sleep 0.1
  done
  echo "try-it: a wal-j daemon in $rd did not stop" >&2
}
cleanup() {
  for d in "$work/primary" "$work/restored"; do
    [ -f "$d/postmaster.pid" ] && run "$pgbin/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
  done
  stop_daemons   # after the servers: their last archive_command or restore_command may have started one
}
trap cleanup EXIT

sql() { run "$pgbin/psql" -h "$work" -p "$1" -U postgres -d postgres -Atqc "$2"; }

echo "==> a primary archiving with: archive_command = '$walj wal-push %p'"
run "$pgbin/initdb" -D "$work/primary" -U postgres --auth=trust >/dev/null
cat >>"$work/primary/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work'
port = 5491
archive_mode = on
archive_command = '$walj wal-push %p'
CONF
run "$pgbin/pg_ctl" -D "$work/primary" -l "$work/primary.log" -w start >/dev/null
run "$pgbin/pgbench" -h "$work" -p 5491 -U postgres -i -s 2 -q postgres >/dev/null 2>&1
sql 5491 "SELECT pg_switch_wal()" >/dev/null

pgenv=(env PGHOST="$work" PGPORT=5491 PGUSER=postgres)
echo "==> an online base backup while pgbench writes: $walj backup-push --start-fast $work/primary"
run "$pgbin/pgbench" -h "$work" -p 5491 -U postgres -T 8 -c 2 postgres >/dev/null 2>&1 &
writer=$!
run "${pgenv[@]}" $walj backup-push --start-fast "$work/primary" 2>"$work/backup-push.log" \
  || { cat "$work/backup-push.log" >&2; echo "try-it: backup-push failed" >&2; exit 1; }
wait "$writer"
echo "==> $walj backup-list"
run $walj backup-list 2>>"$work/backup-list.log" | sed 's/^/    /'
sql 5491 "CREATE TABLE after_backup AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 10000) g" >/dev/null
expected=$(sql 5491 "SELECT count(*), sum(abalance) FROM pgbench_accounts")
expected_after=$(sql 5491 "SELECT md5(string_agg(v, ',' ORDER BY id)) FROM after_backup")
last=$(sql 5491 "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 120); do
  done_wal=$(sql 5491 "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [[ "$done_wal" > "$last" || "$done_wal" == "$last" ]] && break
  sleep 0.5
done
run "$pgbin/pg_ctl" -D "$work/primary" -m fast -w stop >/dev/null
echo "    archived: $(ls "$work/archive/wal_005" | wc -l) objects in $work/archive/wal_005/"

echo "==> restoring the newest backup: $walj backup-fetch $work/restored LATEST"
run $walj backup-fetch "$work/restored" LATEST 2>"$work/backup-fetch.log" \
  || { cat "$work/backup-fetch.log" >&2; echo "try-it: backup-fetch failed" >&2; exit 1; }
# WAL-E's backups leave configuration out, as the restore runbook says: the operator brings it
run cp "$work/primary/postgresql.conf" "$work/primary/pg_hba.conf" "$work/primary/pg_ident.conf" "$work/restored/"
echo "==> recovering it with: restore_command = '$walj wal-fetch %f %p'"
cat >>"$work/restored/postgresql.conf" <<CONF
port = 5492
archive_mode = off
restore_command = '$walj wal-fetch %f %p'
CONF
run touch "$work/restored/recovery.signal"
run "$pgbin/pg_ctl" -D "$work/restored" -l "$work/restored.log" -w -t 120 start >/dev/null
for _ in $(seq 1 240); do
  [ "$(sql 5492 "SELECT pg_is_in_recovery()")" = f ] && break
  sleep 0.5
done
got=$(sql 5492 "SELECT count(*), sum(abalance) FROM pgbench_accounts")
got_after=$(sql 5492 "SELECT md5(string_agg(v, ',' ORDER BY id)) FROM after_backup")
echo "    primary:  pgbench_accounts count|sum = $expected, after_backup md5 = $expected_after"
echo "    restored: pgbench_accounts count|sum = $got, after_backup md5 = $got_after"
if [ "$got" = "$expected" ] && [ "$got_after" = "$expected_after" ]; then
  echo "OK: the copy recovered every write through wal-j. Files and server logs: $work"
else
  echo "MISMATCH: see $work/restored.log" >&2
  exit 1
fi
