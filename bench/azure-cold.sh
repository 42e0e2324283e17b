#!/usr/bin/env bash
# Cold wal-push / wal-fetch of a 16 MiB incompressible segment against a local Azurite (the npm package .ci/run
# installs into /opt/walj-azurite) and file://, N rounds (default 5), then a 1 GiB push to each; each line is
# wall s, peak RSS KB, user+sys CPU-s of one JVM started as archive_command starts it. docs/performance.md has the figures.
set -euo pipefail
rounds=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
JAR=$root/target/wal-j.jar
AZURITE=${AZURITE_BLOB:-/opt/walj-azurite/node_modules/.bin/azurite-blob}
[ -x "$AZURITE" ] || { echo "azurite-blob not found at $AZURITE" >&2; exit 1; }
D=$(mktemp -d /tmp/azbench.XXXX); mkdir -p "$D/srv" "$D/pg_wal" "$D/archive/wal_005"
ACCOUNT=waljbench
KEY=$(head -c 64 /dev/urandom | base64 -w0)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
AZURITE_ACCOUNTS="$ACCOUNT:$KEY" "$AZURITE" --blobHost 127.0.0.1 --blobPort "$PORT" --location "$D/srv" \
    --disableTelemetry --skipApiVersionCheck --loose --silent >"$D/azurite.log" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$D"' EXIT
ENDPOINT=http://127.0.0.1:$PORT/$ACCOUNT
for _ in $(seq 120); do curl -s -o /dev/null "$ENDPOINT?comp=list" && break; sleep 0.5; done
# the container, through the Azure SDK already inside wal-j.jar (a shared-key request needs a signature)
cat >"$D/Mk.java" <<JAVA
public class Mk { public static void main(String[] a) {
  new com.azure.storage.blob.BlobServiceClientBuilder().endpoint(a[0])
    .credential(new com.azure.storage.common.StorageSharedKeyCredential(a[1], a[2])).buildClient()
    .createBlobContainerIfNotExists("bench"); } }
JAVA
java -cp "$JAR" "$D/Mk.java" "$ENDPOINT" "$ACCOUNT" "$KEY" 2>/dev/null
head -c $((16 << 20)) /dev/urandom >"$D/pg_wal/000000010000000000000001"
# one cold JVM as archive_command starts it: wall s, peak RSS KB, user+sys CPU-s
az() { /usr/bin/time -f '%e s %M KB %U+%S cpu' env -i PATH="$PATH" WALE_LOG_DESTINATION=stderr \
    WALE_WABS_PREFIX="wabs://bench/p$1/" WALJ_WABS_ENDPOINT="$ENDPOINT" WABS_ACCOUNT_NAME=$ACCOUNT \
    WABS_ACCESS_KEY="$KEY" java -jar "$JAR" --terse "${@:2}" 2>&1 | tail -1; }
for i in $(seq "$rounds"); do
  echo -n "azure push: "; az "$i" wal-push "$D/pg_wal/000000010000000000000001"
  echo -n "azure fetch: "; az "$i" wal-fetch 000000010000000000000001 "$D/out$i"
  cmp "$D/out$i" "$D/pg_wal/000000010000000000000001"
  echo -n "file push: "; env -i PATH="$PATH" WALE_LOG_DESTINATION=stderr WALE_FILE_PREFIX="file://localhost$D/archive" \
      /usr/bin/time -f '%e s %M KB %U+%S cpu' java -jar "$JAR" --terse wal-push "$D/pg_wal/000000010000000000000001" 2>&1 | tail -1
  rm -f "$D/archive/wal_005/"* "$D/out$i"
done
head -c $((1 << 30)) /dev/urandom >"$D/pg_wal/000000010000000000000002"
echo -n "azure push 1 GiB: "; az big wal-push "$D/pg_wal/000000010000000000000002"
echo -n "azure fetch 1 GiB: "; az big wal-fetch 000000010000000000000002 "$D/big"
cmp "$D/big" "$D/pg_wal/000000010000000000000002"
