#!/usr/bin/env bash
# Benchmark, not a test: what the integrity manifest costs. wal-j backup-push --while-offline of a pgbench cluster
# (file backend), then backup-verify, and backup-fetch with the manifest and with it moved aside (no hashing), each
# with wall time, MB/s of PGDATA and peak RSS.
# Usage: bench/integrity.sh [SCALE] [POOL]   (default scale 50, about 800 MB; pool 2)
# Needs: target/wal-j.jar, PostgreSQL server programs, GNU time.
set -euo pipefail
scale=${1:-50}
pool=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/wal-j.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
[ -x /usr/bin/time ] || { echo "install GNU time (package: time)" >&2; exit 1; }

work=$(mktemp -d /tmp/wal-j-bench.XXXXXX)
chmod 755 "$work"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; as_pg=(runuser -u postgres --); fi
pg() { "${as_pg[@]}" "$@"; }
cleanup() {
  [ -f "$work/pg/postmaster.pid" ] && pg "$pgbin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
pg mkdir -p "$work/bin" "$work/archive/wal_005"
cp "$here/packaging/wal-j" "$jar" "$work/bin/" && chmod 755 "$work/bin/wal-j" && chmod 644 "$work/bin/wal-j.jar"

echo "==> pgbench -i -s $scale (a cleanly stopped cluster)"
pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync >/dev/null
pgopts="-c listen_addresses='' -c unix_socket_directories=$work -c port=5497 -c fsync=off"
pg "$pgbin/pg_ctl" -D "$work/pg" -o "$pgopts" -l "$work/pg.log" -w start >/dev/null
pg "$pgbin/pgbench" -h "$work" -p 5497 -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
bytes=$(du -sb --exclude=pg_wal "$work/pg" | cut -f1)
files=$(find "$work/pg" -path "$work/pg/pg_wal" -prune -o -type f -print | wc -l)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "    PGDATA without pg_wal: $mb MB, $files files"

report() { # label, time output file
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$2")
  rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$2")
  printf '%-60s %7.2f s  %7.1f MB/s  peak RSS %5s MiB\n' "$1" "$wall" "$(awk -v m="$mb" -v w="$wall" 'BEGIN { print m / w }')" "$rss"
}
walj() { pg /usr/bin/time -v env WALE_FILE_PREFIX="file://localhost$work/archive" "$work/bin/wal-j" --terse "$@"; }

walj backup-push --while-offline --pool-size "$pool" "$work/pg" 2> "$work/time.push"
report "backup-push --while-offline --pool-size $pool (with manifest)" "$work/time.push"
manifest=$(find "$work/archive/basebackups_005" -name 'walj_manifest.jsonl.*')
echo "    manifest: $(stat -c %s "$manifest") bytes stored for $files files"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
walj backup-verify --pool-size "$pool" LATEST 2> "$work/time.verify"
report "backup-verify --pool-size $pool" "$work/time.verify"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
walj backup-fetch --pool-size "$pool" "$work/r1" LATEST 2> "$work/time.fetch"
report "backup-fetch --pool-size $pool, every file checked" "$work/time.fetch"
pg rm -rf "$work/r1"

mv "$manifest" "$work/manifest-aside"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
walj backup-fetch --pool-size "$pool" "$work/r2" LATEST 2> "$work/time.fetch2"
report "backup-fetch --pool-size $pool, manifest moved aside (no hashing)" "$work/time.fetch2"
