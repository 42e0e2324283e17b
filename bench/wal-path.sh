#!/usr/bin/env bash
# Benchmark, not a test: cold wal-j wal-push / wal-fetch of one real 16 MiB WAL segment on the file backend,
# median wall time and peak RSS over N runs, beside `lzop -c` / `lzop -dc` of the same file for scale.
# Usage: bench/wal-path.sh [RUNS]   (needs target/wal-j.jar, PostgreSQL server programs, lzop, GNU time)
# JDKs: every java under /usr/lib/jvm is measured in turn (override with WALJ_BENCH_JAVAS="/path/java …").
# Before/after: WALJ_BENCH_BASELINE=DIR (another checkout with its own target/wal-j.jar, e.g. from
# `git archive OLD | tar -x -C DIR` and a package build there) adds its rows, measured on the same segment, the
# two builds alternating in blocks of RUNS/3 runs so that a change in the machine's load hits both.
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
mkdir -p "$work/pg_wal" "$work/archive/wal_005"
cp "$work/pg/pg_wal/$seg" "$work/pg_wal/$seg"
rm -rf "$work/pg"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# run_into FILE N COMMAND…: appends GNU time's "wall user sys rss" of N runs to FILE
run_into() {
  local file=$1 n=$2; shift 2
  for _ in $(seq 1 "$n"); do
    /usr/bin/time -o "$work/t" -f "%e %U %S %M" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    cat "$work/t" >>"$file"
  done
}

# report LABEL FILE: median wall ms, median CPU ms (user+sys) and max peak RSS MiB of the runs in FILE
report() {
  local wall cpu rss
  wall=$(awk '{print $1*1000}' "$2" | median)
  cpu=$(awk '{print ($2+$3)*1000}' "$2" | median)
  rss=$(awk '{print $4/1024}' "$2" | sort -n | tail -n 1)
  printf '%-44s %8.0f ms wall %8.0f ms CPU %7.1f MiB peak RSS\n' "$1" "$wall" "$cpu" "$rss"
}

# measure LABEL COMMAND…: $runs runs of COMMAND
measure() {
  local label=$1; shift
  : >"$work/times"
  run_into "$work/times" "$runs" "$@"
  report "$label" "$work/times"
}

# compare LABEL ARGS…: wal-j ARGS with the baseline checkout's launcher and this one's, alternating
compare() {
  local label=$1; shift
  # each build its own class-data archive (the launcher's cache names it by JDK only), made by the warm-up runs
  local base=(env "WALJ_CDS_DIR=$work/cds-base" "$WALJ_BENCH_BASELINE/packaging/wal-j" "$@")
  local new=(env "WALJ_CDS_DIR=$work/cds-new" "$here/packaging/wal-j" "$@")
  mkdir -p -m 700 "$work/cds-base" "$work/cds-new"
  run_into /dev/null 2 "${base[@]}"
  run_into /dev/null 2 "${new[@]}"
  : >"$work/times.base"; : >"$work/times.new"
  local block=$(( runs / 3 > 0 ? runs / 3 : 1 )) done=0
  while [ "$done" -lt "$runs" ]; do
    run_into "$work/times.base" "$block" "${base[@]}"
    run_into "$work/times.new" "$block" "${new[@]}"
    done=$(( done + block ))
  done
  report "baseline $label" "$work/times.base"
  report "this     $label" "$work/times.new"
}

echo "segment $seg ($(stat -c %s "$work/pg_wal/$seg") bytes), $runs runs each, $(nproc) cores"
export WALE_FILE_PREFIX="file://localhost$work/archive"
cd "$work"
javas=${WALJ_BENCH_JAVAS:-$(ls /usr/lib/jvm/*/bin/java 2>/dev/null | xargs -n1 readlink -f | sort -u)}
for java in $javas; do
  v=$("$java" -version 2>&1 | head -n 1)
  export WALJ_JAVA=$java
  if [ -n "${WALJ_BENCH_BASELINE:-}" ]; then
    [ -f "$WALJ_BENCH_BASELINE/target/wal-j.jar" ] || { echo "no $WALJ_BENCH_BASELINE/target/wal-j.jar" >&2; exit 1; }
    compare "wal-push  [$v]" wal-push --pool-size 1 "pg_wal/$seg"
    compare "wal-fetch [$v]" wal-fetch --prefetch 0 "$seg" "$work/restored"
  else
    measure "wal-j wal-push  [$v]" "$here/packaging/wal-j" wal-push --pool-size 1 "pg_wal/$seg"
    measure "wal-j wal-fetch [$v]" "$here/packaging/wal-j" wal-fetch --prefetch 0 "$seg" "$work/restored"
  fi
  cmp -s "$work/restored" "$work/pg_wal/$seg" || { echo "wal-fetch returned different bytes" >&2; exit 1; }
done
measure "lzop -c (for scale)" sh -c "lzop -c < pg_wal/$seg > $work/seg.lzo"
measure "lzop -dc (for scale)" sh -c "lzop -dc < $work/seg.lzo > $work/seg.out"
