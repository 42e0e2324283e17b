#!/usr/bin/env bash
# Benchmark, not a test: the floor this machine puts under a verified backup and restore. On a sample of a pgbench
# cluster (its files as one tar, without pg_wal), the CPU per GB of every primitive the tools are made of (wal-j's
# JVM under C2 after a warm-up: SHA-256, CRC-32, Adler-32, LZO, LZ4; the native tools: openssl SHA-1/SHA-256, the lzop and lz4
# binaries), the kernel's cost of writing a GB into the page cache, and the disk's write speed (dd + fsync). Then the
# sums: the fewest CPU-s per GB a restore that decodes, checks and writes every byte can cost, and the MB/s that gives
# on all cores; the same for backup (read, hash, compress). Compare with bench/compare.sh's table.
# Usage: bench/limits.sh [SCALE [SAMPLE_MIB]]   (default pgbench scale 20, sample 512 MiB)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
scale=${1:-20}
sample_mib=${2:-512}
need_jar
need_tools lzop:lzop lz4:lz4 openssl:openssl /usr/bin/time:time
make_work limits
port=5497
init_cluster "$work/pg" $port "$scale"
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
tar -cf "$work/sample.tar" -C "$work/pg" --exclude=./pg_wal .
head -c $((sample_mib << 20)) "$work/sample.tar" >"$work/sample"
rm -f "$work/sample.tar"
rm -rf "$work/pg"
bytes=$(stat -c %s "$work/sample")
gb=$(awk -v b="$bytes" 'BEGIN { print b / 1e9 }')
cores=$(nproc)
echo "$(date -u '+%F %H:%M') UTC; $cores cores; load $(cut -d' ' -f1-3 /proc/loadavg); sample: pgbench scale $scale, $bytes bytes"
echo "$(java -version 2>&1 | sed -n 1p); $(lzop --version 2>&1 | sed -n 1p); $(lz4 --version 2>&1 | sed -n 1p); $(openssl version)"

# cpu NAME COMMAND…: user+sys CPU-s per GB of the sample (median of 3), printed and kept in CPU[NAME]
declare -A CPU
cpu() {
  local name=$1 i t=() out=$work/time.out
  shift
  for i in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$out" bash -c "$*" >/dev/null 2>&1
    t+=("$(awk -v gb="$gb" '{ printf "%.3f", ($1 + $2) / gb }' "$out")")
  done
  CPU[$name]=$(printf '%s\n' "${t[@]}" | sort -n | sed -n 2p)
  printf 'native %-36s CPU-s per GB: %6.3f\n' "$name" "${CPU[$name]}"
}

cat "$work/sample" >/dev/null
lzop -c "$work/sample" >"$work/sample.lzo"
lz4 -q -1 -c "$work/sample" >"$work/sample.lz4"
cd "$here"
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.walj.pipeline.PrimitivesBench \
  "$work/sample" "$sample_mib" 5 3 | tee "$work/java.out"
cpu "SHA-256 (openssl)" "openssl dgst -sha256 '$work/sample'"
cpu "SHA-1 (openssl)" "openssl dgst -sha1 '$work/sample'"
cpu "lzop -c (LZO1X-1 + Adler-32)" "lzop -c '$work/sample'"
cpu "lzop -dc" "lzop -dc '$work/sample.lzo'"
cpu "lz4 -1 -c" "lz4 -q -1 -c '$work/sample'"
cpu "lz4 -dc" "lz4 -q -dc '$work/sample.lz4'"
cpu "read from page cache (cat)" "cat '$work/sample'"
cpu "write into page cache (dd 64 KiB)" "dd if='$work/sample' of='$work/copy' bs=64k 2>/dev/null; rm -f '$work/copy'"
sync
start=$(date +%s.%N)
dd if="$work/sample" of="$work/copy" bs=1M conv=fsync 2>/dev/null
disk=$(awk -v s="$start" -v e="$(date +%s.%N)" -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 / (e - s) }')
rm -f "$work/copy"
echo "disk: dd + fsync of the sample: $disk MB/s"

java_cpu() { awk -v n="$1" 'index($0, n) { for (i = 1; i <= NF; i++) if ($i == "GB:") print $(i + 1) }' "$work/java.out"; }
floor() { # NAME CPU-s…: the sum per GB and the MB/s all cores give at that cost
  local name=$1; shift
  awk -v c="$cores" -v name="$name" -v d="$disk" 'BEGIN {
    s = 0; for (i = 1; i < ARGC; i++) s += ARGV[i]
    mbs = c * 1000 / s
    printf "%-58s %6.3f CPU-s per GB -> %5.0f MB/s on %d cores (%s)\n", name, s, mbs, c, (mbs < d ? "CPU-bound" : "disk-bound at " d " MB/s")
  }' "$@"
}
echo "== floors (the primitives only: no tar parsing, no JVM start, no JIT, no copies between threads)"
w=${CPU[write into page cache (dd 64 KiB)]}
r=${CPU[read from page cache (cat)]}
floor "restore, wal-j lzo: LZO decode + CRC-32 + SHA-256 + write" \
  "$(java_cpu 'LZO1X decompress')" "$(java_cpu 'CRC-32 (')" "$(java_cpu 'SHA-256')" "$w"
floor "restore, wal-j lz4: LZ4 decode (Java) + SHA-256 + write" \
  "$(java_cpu 'LZ4 decompress')" "$(java_cpu 'SHA-256')" "$w"
floor "restore, pgBackRest: lz4 -d + SHA-1 (native) + write" "${CPU[lz4 -dc]}" "${CPU[SHA-1 (openssl)]}" "$w"
floor "backup, wal-j lzo: read + SHA-256 + LZO + CRC-32" \
  "$r" "$(java_cpu 'SHA-256')" "$(java_cpu 'LZO1X-1 compress')" "$(java_cpu 'CRC-32 (')"
floor "backup, pgBackRest: read + SHA-1 + lz4 -1 (native)" "$r" "${CPU[SHA-1 (openssl)]}" "${CPU[lz4 -1 -c]}"
