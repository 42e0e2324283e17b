#!/usr/bin/env bash
# Benchmark, not a test: wal-j backup-push vs pgBackRest backup/restore of the same pgbench cluster on local disk.
# Prints wall time, MB/s of PGDATA (without pg_wal) and peak RSS (GNU time) for each.
# Usage: bench/backup.sh [SCALE]   (default 100, about 1.5 GB; needs target/wal-j.jar, PostgreSQL server programs,
#        lzop, GNU tar, GNU time, pgbackrest: apt-get install pgbackrest time lzop)
# wal-j's restore column uses `wal-j backup-fetch` when this build has it, else lzop -dc | tar -x of every partition.
set -euo pipefail
scale=${1:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/wal-j.jar
walj=$here/packaging/wal-j
[ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
for p in lzop tar pgbackrest; do command -v $p >/dev/null || { echo "install $p" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "install GNU time (package: time)" >&2; exit 1; }

work=$(mktemp -d /tmp/wal-j-backup-bench.XXXXXX)
port=5498
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
as_pg=()
trap cleanup EXIT
chmod 755 "$work"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
pg() { "${as_pg[@]}" "$@"; }

pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
cat >>"$work/pg/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work'
port = $port
archive_mode = on
archive_command = '/bin/true'
max_wal_size = 4GB
CONF
pg "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start >/dev/null
echo "pgbench -i -s $scale ..." >&2
pg "$pgbin/pgbench" -h "$work" -p $port -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
psql_() { pg "$pgbin/psql" -X -q -A -t -h "$work" -p $port -U postgres -d postgres -c "$1"; }
bytes=$(du -sb --exclude=pg_wal "$work/pg" | cut -f1)

pg mkdir -p "$work/archive/wal_005" "$work/archive2/wal_005" "$work/pgbr" "$work/pgbr-log" "$work/pgbr-lock"
cat >"$work/pgbackrest.conf" <<CONF
[global]
repo1-path=$work/pgbr
process-max=2
start-fast=y
archive-check=n
log-level-console=warn
log-path=$work/pgbr-log
lock-path=$work/pgbr-lock

[bench]
pg1-path=$work/pg
pg1-socket-path=$work
pg1-port=$port
CONF
chmod 644 "$work/pgbackrest.conf"
br=("${as_pg[@]}" pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)
"${br[@]}" stanza-create >/dev/null

# run LABEL COMMAND…: one timed run; prints wall s, MB/s of PGDATA, peak RSS MiB
run() {
  local label=$1; shift
  psql_ "CHECKPOINT" >/dev/null   # same starting point for every backup: nothing left for its own checkpoint
  /usr/bin/time -o "$work/t" -f "%e %M" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  read -r wall rss <"$work/t"
  awk -v l="$label" -v w="$wall" -v r="$rss" -v b="$bytes" \
    'BEGIN { printf "%-46s %8.1f s %9.1f MB/s %9.1f MiB\n", l, w, b / 1e6 / w, r / 1024 }'
}

restore_walj() {
  local dest=$1 name
  pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  name=$(ls "$work/archive/basebackups_005" | grep -E '_backup_stop_sentinel\.json$' | sort | tail -n 1)
  name=${name%_backup_stop_sentinel.json}
  if WALE_FILE_PREFIX="file://localhost$work/archive" "$walj" help backup-fetch >/dev/null 2>&1; then
    pg env WALE_FILE_PREFIX="file://localhost$work/archive" "$walj" backup-fetch "$dest" "$name"
  else
    pg mkdir -p "$dest"
    for part in "$work/archive/basebackups_005/$name/tar_partitions"/part_*.tar.lzo; do
      pg sh -c 'lzop -dc "$1" | tar -xf - -C "$2"' sh "$part" "$dest"
    done
  fi
}
export -f restore_walj
export work walj

echo "PGDATA without pg_wal: $((bytes / 1000000)) MB (pgbench scale $scale); $(nproc) cores; $(java -version 2>&1 | head -n 1)"
printf '%-46s %10s %14s %13s\n' "" "wall" "throughput" "peak RSS"
run "wal-j backup-push (lzo, --pool-size 4)" "${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/archive" \
  PGHOST="$work" PGPORT=$port PGUSER=postgres "$walj" backup-push "$work/pg"
run "wal-j backup-push (lzo, --pool-size 2)" "${as_pg[@]}" env WALE_FILE_PREFIX="file://localhost$work/archive2" \
  PGHOST="$work" PGPORT=$port PGUSER=postgres "$walj" backup-push --pool-size 2 "$work/pg"
if WALE_FILE_PREFIX=file:///x "$walj" help backup-fetch >/dev/null 2>&1; then how="wal-j backup-fetch"; else how="lzop -dc | tar -x"; fi
run "restore of it: $how" bash -c 'restore_walj "$work/r-walj"'
echo "  wal-j archive: $(du -sb "$work/archive/basebackups_005" | cut -f1 | awk '{printf "%.0f MB", $1/1e6}')"
run "pgbackrest backup --compress-type=lz4" "${br[@]}" backup --type=full --compress-type=lz4
run "pgbackrest restore (lz4)" "${br[@]}" restore --pg1-path="$work/r-lz4"
echo "  pgbackrest lz4 repo: $(du -sb "$work/pgbr/backup" | cut -f1 | awk '{printf "%.0f MB", $1/1e6}')"
rm -rf "$work/r-lz4" "$work/r-walj"
run "pgbackrest backup (default: gz)" "${br[@]}" backup --type=full
run "pgbackrest restore (gz)" "${br[@]}" restore --pg1-path="$work/r-gz" --set="$(ls "$work/pgbr/backup/bench" | grep -E '^[0-9]{8}-[0-9]{6}F$' | sort | tail -n 1)"
