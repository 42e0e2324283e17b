#!/usr/bin/env bash
# Benchmark, not a test: in-memory LZO and LZ4 throughput on a real WAL segment, text-like and random data.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
java -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.walj.pipeline.CodecThroughput
