#!/usr/bin/env bash
# Benchmark, not a test: what compressing a segment while PostgreSQL writes it costs and saves (docs/daemon.md,
# "Compressing while PostgreSQL writes"), per 16 MiB segment, on real WAL: the push alone against the daemon's work
# ahead of the .ready plus the push that takes it, under the daemon's JIT (C1 only) and under C2.
# DIR: complete consecutive segments, e.g. a copy of pg_wal after `KEEP=1 bench/archive-load.sh walj-default`.
# Usage: bench/early-blocks.sh DIR [ROUNDS]
set -euo pipefail
dir=$(realpath "$1"); shift
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(ls "$dir" | grep -cE '^[0-9A-F]{24}$') segments"
for jit in "-XX:TieredStopAtLevel=1" "-XX:TieredStopAtLevel=4"; do
  echo "== $jit"
  java -XX:+UseSerialGC -XX:PretenureSizeThreshold=4m "$jit" -cp "$cp" org.walj.resident.EarlyBlocksBench "$dir" "$@"
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
