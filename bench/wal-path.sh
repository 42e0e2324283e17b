#!/usr/bin/env bash
# Benchmark, not a test: cold wal-j wal-push / wal-fetch of one real 16 MiB WAL segment on the file backend,
# median wall time and peak RSS over N runs, beside `lzop -c` / `lzop -dc` of the same file for scale.
# Usage: bench/wal-path.sh [RUNS]   (needs target/wal-j.jar, PostgreSQL server programs, lzop, GNU time)
# JDKs: every java under /usr/lib/jvm is measured in turn (override with WALJ_BENCH_JAVAS="/path/java …").
set -euo pipefail
runs=${1:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/wal-j.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
command -v lzop >/dev/null || { echo "install lzop" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time (package: time)" >&2; exit 1; }

work=$(mktemp -d /tmp/wal-j-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi

# A real, full segment: initdb, then pgbench -i fills a few segments; take the first full one.
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -o "-c listen_addresses='' -c unix_socket_directories=$work -c port=5499" \
  -l "$work/pg.log" -w start >/dev/null
"${as_pg[@]}" "$pgbin/pgbench" -h "$work" -p 5499 -U postgres -i -s 3 -q postgres >/dev/null 2>&1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
seg=$(ls "$work/pg/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | sed -n 2p)
mkdir -p "$work/pg_wal" "$work/archive"
cp "$work/pg/pg_wal/$seg" "$work/pg_wal/$seg"
rm -rf "$work/pg"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure LABEL COMMAND…: prints median wall ms, median CPU ms (user+sys) and max peak RSS MiB over $runs runs
measure() {
  local label=$1; shift
  : >"$work/times"
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -o "$work/t" -f "%e %U %S %M" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/t" >>"$work/times"
  done
  local wall cpu rss
  wall=$(awk '{print $1*1000}' "$work/times" | median)
  cpu=$(awk '{print ($2+$3)*1000}' "$work/times" | median)
  rss=$(awk '{print $4/1024}' "$work/times" | sort -n | tail -n 1)
  printf '%-44s %8.0f ms wall %8.0f ms CPU %7.1f MiB peak RSS\n' "$label" "$wall" "$cpu" "$rss"
}

echo "segment $seg ($(stat -c %s "$work/pg_wal/$seg") bytes), $runs runs each, $(nproc) cores"
export WALE_FILE_PREFIX="file://localhost$work/archive"
cd "$work"
javas=${WALJ_BENCH_JAVAS:-$(ls /usr/lib/jvm/*/bin/java 2>/dev/null | xargs -n1 readlink -f | sort -u)}
for java in $javas; do
  v=$("$java" -version 2>&1 | head -n 1)
  export WALJ_JAVA=$java
  measure "wal-j wal-push  [$v]" "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
  measure "wal-j wal-fetch [$v]" "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
  cmp -s "$work/restored" "$work/pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
done
measure "lzop -c (for scale)" sh -c "lzop -c < pg_wal/$seg > $work/seg.lzo"
measure "lzop -dc (for scale)" sh -c "lzop -dc < $work/seg.lzo > $work/seg.out"
