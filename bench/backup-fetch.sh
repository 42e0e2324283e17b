#!/usr/bin/env bash
# Benchmark, not a test: wal-j backup-fetch of a pgbench cluster from a WAL-E-layout backup on the file backend.
# Prints wall time, MB/s of restored PGDATA and peak RSS, beside the WAL-E-equivalent shell pipeline
# (lzop -dc | tar -x per partition) and, when installed, pgBackRest's restore of the same data (repo on local disk).
# Usage: bench/backup-fetch.sh [SCALE] [POOL]   (default scale 100, about 1.5 GB; pool 4)
# Needs: target/wal-j.jar, PostgreSQL server programs, lzop, GNU tar, GNU time; optional: pgbackrest.
set -euo pipefail
scale=${1:-100}
pool=${2:-4}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/target/wal-j.jar
[ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
command -v lzop >/dev/null || { echo "install lzop" >&2; exit 1; }
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
pgopts="-c listen_addresses='' -c unix_socket_directories=$work -c port=5498 -c fsync=off"
pg "$pgbin/pg_ctl" -D "$work/pg" -o "$pgopts" -l "$work/pg.log" -w start >/dev/null
pg "$pgbin/pgbench" -h "$work" -p 5498 -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
# as WAL-E: pg_wal's contents are not in a base backup (and not counted)
bytes=$(du -sb --exclude=pg_wal "$work/pg" | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
echo "    PGDATA without pg_wal: $mb MB"

echo "==> WAL-E layout: GNU tar partitions of at most 1.5 GiB, lzop -c, sentinel last"
name=base_000000010000000000000002_00000040
parts=$work/archive/basebackups_005/$name/tar_partitions
mkdir -p "$parts"
(cd "$work/pg" && find . -path ./pg_wal -prune -o -type f -printf '%s %p\n') | sort -k2 | awk -v lim=1610612736 -v dir="$work" '
  { if (n == 0 || sz + $1 >= lim) { n++; sz = 0 } sz += $1; print $2 > (dir "/list." sprintf("%08d", n - 1)) }'
for list in "$work"/list.*; do
  i=${list##*.}
  tar -C "$work/pg" --no-recursion -cf - -T "$list" | lzop -c > "$parts/part_$i.tar.lzo"
done
printf '{"wal_segment_backup_stop": "000000010000000000000002", "wal_segment_offset_backup_stop": "00000312", "expanded_size_bytes": %s, "spec": {"base_prefix": "%s/", "tablespaces": []}}' \
  "$bytes" "$work/pg" > "$work/archive/basebackups_005/${name}_backup_stop_sentinel.json"
chmod -R a+rX "$work/archive"
echo "    $(ls "$parts" | wc -l) partitions, $(du -sm "$parts" | cut -f1) MiB compressed"

report() { # label, time output file
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$2")
  rss=$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$2")
  printf '%-66s %7.2f s  %7.1f MB/s  peak RSS %5s MiB\n' "$1" "$wall" "$(awk -v m="$mb" -v w="$wall" 'BEGIN { print m / w }')" "$rss"
}

# The launcher's defaults suit short archive_command runs (C1 only); C2 matters for a long restore.
for opts in "" "-XX:TieredStopAtLevel=4"; do
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  pg /usr/bin/time -v env WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_JAVA_OPTS="$opts" "$work/bin/wal-j" \
    --terse backup-fetch --pool-size "$pool" "$work/restored" LATEST 2> "$work/time.walj"
  report "wal-j backup-fetch --pool-size $pool ${opts:-(launcher defaults)}" "$work/time.walj"
  cmp <(cd "$work/pg" && find . -path ./pg_wal -prune -o -type f -exec md5sum {} + | sort -k2) \
      <(cd "$work/restored" && find . -path ./pg_wal -prune -o -type f -exec md5sum {} + | sort -k2) \
    >/dev/null && echo "    restored files identical to the source" || { echo "    RESTORED FILES DIFFER" >&2; exit 1; }
  pg rm -rf "$work/restored"
done

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
pg mkdir "$work/shell"
pg /usr/bin/time -v sh -c "for p in '$parts'/*.lzo; do lzop -dc \"\$p\" | tar -C '$work/shell' -xf - & done; wait; sync" \
  2> "$work/time.shell"
report "lzop -dc | tar -x, all partitions at once" "$work/time.shell"
pg rm -rf "$work/shell"

if command -v pgbackrest >/dev/null; then
  repo=$work/pgbr-repo
  pg mkdir -p "$repo" "$work/pgbr-log"
  conf=$work/pgbackrest.conf
  printf '[global]\nrepo1-retention-full=1\nrepo1-path=%s\nlog-path=%s\nlock-path=%s\nlog-level-console=warn\nprocess-max=%s\ncompress-type=lz4\n[bench]\npg1-path=%s\npg1-socket-path=%s\npg1-port=5498\n' \
    "$repo" "$work/pgbr-log" "$work" "$pool" "$work/pg" "$work" > "$conf"
  chmod 644 "$conf"
  pg "$pgbin/pg_ctl" -D "$work/pg" -o "$pgopts -c archive_mode=on -c archive_command='pgbackrest --config=$conf --stanza=bench archive-push %p'" \
    -l "$work/pg.log" -w start >/dev/null
  pg pgbackrest --config="$conf" --stanza=bench stanza-create
  pg pgbackrest --config="$conf" --stanza=bench --type=full backup
  pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  pg /usr/bin/time -v pgbackrest --config="$conf" --stanza=bench --pg1-path="$work/pgbr-restored" restore \
    2> "$work/time.pgbr"
  report "pgbackrest restore (process-max $pool, lz4)" "$work/time.pgbr"
else
  echo "pgbackrest not installed (apt-get install pgbackrest): no comparison"
fi
