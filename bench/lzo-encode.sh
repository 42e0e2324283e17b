#!/usr/bin/env bash
# Benchmark, not a test: CPU per input (e.g. a 16 MiB WAL segment of md5-text rows) of the lzop writer's LZO1X-1
# encode (aircompressor), Adler-32 and CRC-32, and of the whole writer with either checksum, under the daemon's JIT
# (C1 only) and under C2 (backup-push); then the `lzop -c` binary on the same file (user + system CPU of 20 runs, per run).
# Usage: bench/lzo-encode.sh FILE [ROUNDS [WARMUP]]   (a segment: see md5_segment in bench/lib.sh)
set -euo pipefail
file=$(realpath "$1"); shift
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for jit in "-XX:TieredStopAtLevel=1" "-XX:TieredStopAtLevel=4"; do
  echo "== $jit"
  java -XX:+UseSerialGC "$jit" -cp "$cp" org.walj.pipeline.lzop.LzoEncodeBench "$file" "$@"
done
runs=20
echo "== $(lzop --version 2>&1 | sed -n 1p), $runs runs of lzop -c < FILE > /dev/null"
cat "$file" >/dev/null
/usr/bin/time -f "%U %S" -o "${TMPDIR:-/tmp}/lzo-encode.$$" bash -c 'for _ in $(seq '"$runs"'); do lzop -c <"$0" >/dev/null; done' "$file"
awk -v n="$runs" '{ printf "lzop binary CPU ms per input: %.1f (user + system)\n", ($1 + $2) * 1000 / n }' "${TMPDIR:-/tmp}/lzo-encode.$$"
rm -f "${TMPDIR:-/tmp}/lzo-encode.$$"
