#!/usr/bin/env bash
# Cold wal-push / wal-fetch of a 16 MiB incompressible segment against a local Swift (src/test/swift/swift-aio.sh,
# Debian's packages) and file://, 5 rounds, then a 1 GiB push to each; docs/performance.md has the figures.
set -euo pipefail
JAR=$(cd "$(dirname "$0")/.." && pwd)/target/wal-j.jar
AIO=$(cd "$(dirname "$0")/.." && pwd)/src/test/swift/swift-aio.sh
D=$(mktemp -d /tmp/swbench.XXXX); mkdir -p $D/srv $D/pg_wal $D/archive/wal_005
export SWIFT_AIO_KEY=benchkey
bash "$AIO" $D/srv 28080 28081 28082 28083 28084 > $D/aio.log 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER; wait $SERVER 2>/dev/null; rm -rf $D' EXIT
for i in $(seq 240); do curl -sf http://127.0.0.1:28080/healthcheck >/dev/null && break; sleep 0.5; done
T=""
for i in $(seq 60); do T=$(curl -s -i -H "X-Auth-User: test:tester" -H "X-Auth-Key: benchkey" http://127.0.0.1:28080/auth/v1.0 | grep -i '^X-Auth-Token:' | tr -d '\r' | cut -d' ' -f2 || true); [ -n "$T" ] && break; sleep 1; done
for i in $(seq 30); do [ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "X-Auth-Token: $T" http://127.0.0.1:28080/v1/AUTH_test/bench)" = 201 ] && break; sleep 1; done
head -c $((16<<20)) /dev/urandom > $D/pg_wal/000000010000000000000001
sw() { env -i PATH=$PATH WALE_LOG_DESTINATION=stderr WALE_SWIFT_PREFIX=swift://bench/p$1/ SWIFT_AUTHURL=http://127.0.0.1:28080/auth/v1.0 SWIFT_AUTH_VERSION=1 SWIFT_USER=test:tester SWIFT_PASSWORD=benchkey "${@:2}"; }
for i in 1 2 3 4 5; do
  echo -n "swift push: "; sw $i /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar $JAR --terse wal-push $D/pg_wal/000000010000000000000001 2>&1 | tail -1
  echo -n "swift fetch: "; sw $i /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar $JAR --terse wal-fetch 000000010000000000000001 $D/out$i 2>&1 | tail -1
  cmp $D/out$i $D/pg_wal/000000010000000000000001
  echo -n "file push: "; env -i PATH=$PATH WALE_LOG_DESTINATION=stderr WALE_FILE_PREFIX=file://localhost$D/archive /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar $JAR --terse wal-push $D/pg_wal/000000010000000000000001 2>&1 | tail -1
  rm -f $D/archive/wal_005/*
done
# 1 GiB upload: one wal-push of a 1 GiB incompressible file (lzop + SLO segments of 16 MiB, 3 in flight)
head -c $((1<<30)) /dev/urandom > $D/pg_wal/000000010000000000000002
echo -n "swift push 1 GiB: "; sw big /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar $JAR --terse wal-push $D/pg_wal/000000010000000000000002 2>&1 | tail -1
echo -n "file push 1 GiB: "; env -i PATH=$PATH WALE_LOG_DESTINATION=stderr WALE_FILE_PREFIX=file://localhost$D/archive /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar $JAR --terse wal-push $D/pg_wal/000000010000000000000002 2>&1 | tail -1
