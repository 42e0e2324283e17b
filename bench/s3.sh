#!/usr/bin/env bash
# Benchmark, not a test: S3 backend against a local S3Proxy (filesystem backend in /tmp, separate process):
# throughput of one 1 GiB upload with 1 and N parallel parts (heap and RSS of the uploading JVM), then cold
# wal-push of a 16 MiB segment through packaging/wal-j (median wall time over RUNS, peak RSS from GNU time).
# Usage: bench/s3.sh [RUNS [N]]   (needs target/wal-j.jar and target/s3proxy.jar: ./mvnw -B -DskipTests verify)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/wal-j.jar ] && [ -f target/s3proxy.jar ] || { echo "build first: ./mvnw -B -DskipTests verify" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install GNU time (package: time)" >&2; exit 1; }
./mvnw -q -B -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
# the launcher's heap limit (-Xmx256m) for the uploading JVM too, so the buffer pool's bound is what is measured
java -Xmx256m -XX:+UseSerialGC -Dwalj.s3proxy.provider=filesystem-nio2 \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.walj.storage.s3.S3Bench "${1:-10}" "${2:-4}"
