#!/usr/bin/env bash
# Benchmark, not a test: what each stage of backup-push costs per byte on one real file (a pgbench relation segment,
# say): the file read, SHA-256, LZO1X-1 and LZ4 compression, Adler-32, a heap copy; one thread, warm, in memory.
# Usage: bench/push-stages.sh FILE [MAX_BYTES]   (default: the first 256 MiB of FILE)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -r "${1:-}" ] || { echo "usage: bench/push-stages.sh FILE [MAX_BYTES]" >&2; exit 1; }
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
java -XX:+UseSerialGC -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.walj.backup.PushStageCost "$@"
