#!/usr/bin/env bash
# Benchmark, not a test: backup-fetch --delta against a full restore of the same backup. A pgbench cluster is
# pushed (--while-offline, file backend) and restored; the copy is started and changed, stopped, and the backup
# fetched over it with --delta. Twice: (a) a few tables changed, one dropped, one added; (b) pgbench writing for
# DRIFT seconds (random updates reach every pgbench_accounts segment file). Prints wall and CPU seconds, bytes
# written and read from storage (the fetch's own figures) and whether the result equals a full restore file by file.
# Usage: bench/delta-restore.sh [SCALE] [POOL] [DRIFT]   (default scale 100, about 1.5 GB; pool 2; 60 s)
# Needs: target/wal-j.jar, PostgreSQL server programs, GNU time.
set -euo pipefail
scale=${1:-100}
pool=${2:-2}
drift=${3:-60}
source "$(dirname "$0")/lib.sh"
need_jar
need_tools /usr/bin/time:time
make_work delta
export WALE_FILE_PREFIX="file://localhost$work/archive"
pg mkdir -p "$work/archive/wal_005"

init_cluster "$work/pg" 5497 "$scale"
psql_at 5497 "CREATE TABLE t1 AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 200000) g;
  CREATE TABLE t2 AS SELECT * FROM t1; CREATE TABLE t3 AS SELECT * FROM t1; CHECKPOINT"
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
pg "$walj" --terse backup-push --while-offline "$work/pg" 2> "$work/push.err" || { cat "$work/push.err" >&2; exit 1; }
echo "PGDATA without pg_wal: $(du -sm --exclude=pg_wal "$work/pg" | cut -f1) MB;" \
  "backup: $(du -sm "$work/archive/basebackups_005" | cut -f1) MiB stored"

# fetch LABEL ARGS...: runs backup-fetch under GNU time, prints wall, CPU and the fetch's byte counts
fetch() {
  local label=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  pg /usr/bin/time -v "$walj" backup-fetch --pool-size "$pool" "$@" LATEST 2> "$work/fetch.err"
  awk -v label="$label" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + t[i] }
    /User time/ { u = $2 } /System time/ { s = $2 }
    END { printf "%-44s wall %7.1f s  CPU %7.1f s\n", label, w, u + s }' "$work/fetch.err"
  grep -o 'Delta restore: kept [0-9]* files ([0-9]* bytes)\|Wrote [0-9]* bytes of files, read [0-9]* of [0-9]* partitions ([0-9]* bytes from storage)' \
    "$work/fetch.err" | sed 's/^/    /'
}

# same DIR: the restored files equal the full restore's (pg_wal and configuration aside)
same() {
  cmp <(cd "$work/full" && find . -path ./pg_wal -prune -o -type f ! -name '*.conf' -exec md5sum {} + | sort -k2) \
      <(cd "$1" && find . -path ./pg_wal -prune -o -type f ! -name '*.conf' -exec md5sum {} + | sort -k2) >/dev/null \
    && echo "    identical to the full restore" || { echo "    DIFFERS FROM THE FULL RESTORE" >&2; exit 1; }
}

fetch "full restore" "$work/full"
# the backup is of a stopped cluster: its shutdown checkpoint is in the source's pg_wal, which no backup holds
# (a real copy would fetch it through restore_command); the copies below start from it
pg cp -a "$work/pg/pg_wal/." "$work/full/pg_wal/"

run_copy() { # DIR SQL|pgbench: start the copy, change it, stop it
  for f in postgresql.conf pg_hba.conf pg_ident.conf; do pg cp "$work/pg/$f" "$1/$f"; done
  echo "port = 5496" | pg tee -a "$1/postgresql.conf" >/dev/null
  pg "$pgbin/pg_ctl" -D "$1" -l "$work/copy.log" -w start >/dev/null
  if [ "$2" = pgbench ]; then
    pg "$pgbin/pgbench" -h "$work" -p 5496 -U postgres -T "$drift" -c 2 -j 2 postgres >/dev/null 2>&1
  else
    psql_at 5496 "$2"
  fi
  pg "$pgbin/pg_ctl" -D "$1" -m fast -w stop >/dev/null
}

pg cp -a "$work/full" "$work/pga"
run_copy "$work/pga" "UPDATE t1 SET v = 'x' WHERE id % 100 = 0; DROP TABLE t2;
  CREATE TABLE t4 AS SELECT g FROM generate_series(1, 100000) g; CHECKPOINT"
fetch "(a) delta after a few tables changed" --delta "$work/pga"
same "$work/pga"

pg cp -a "$work/full" "$work/pgb"
run_copy "$work/pgb" pgbench
fetch "(b) delta after pgbench for ${drift} s" --delta "$work/pgb"
same "$work/pgb"
