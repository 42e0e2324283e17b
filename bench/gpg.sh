#!/usr/bin/env bash
# Benchmark, not a test: compress+encrypt throughput of wal-j (lzop container + OpenPGP, in process) against
# WAL-E's pipeline `lzop -c | gpg -e -z 0 -r KEY`, on 1 GiB of a real data directory (a pgbench-initialised
# cluster, tarred), with one and two threads / pipelines. Needs PostgreSQL 15, lzop, gpg; as root the cluster
# runs as `postgres`. Usage: bench/gpg.sh [SIZE_MIB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
work=$(mktemp -d /tmp/walj-bench-gpg-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi
cleanup() { gpgconf --homedir "$work/gnupg" --kill all 2>/dev/null || true
            as_pg "$pgbin/pg_ctl" -D "$work/pg" stop -m fast >/dev/null 2>&1 || true; rm -rf "$work"; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
trap cleanup EXIT

echo "== input: a pgbench cluster's data directory, tarred, first ${size_mib} MiB"
as_pg "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" -o "-k $work -c listen_addresses=''" -l "$work/pg.log" start >/dev/null
scale=$(( size_mib * 16 / 1000 * 5 ))   # ~15 MB per scale unit, a little more than needed
as_pg "$pgbin/pgbench" -h "$work" -i -q -s "$scale" postgres 2>/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg" stop -m fast >/dev/null
{ tar -C "$work" -cf - pg || true; } | head -c $((size_mib * 1024 * 1024)) > "$work/input"   # tar gets SIGPIPE
ls -l "$work/input"

echo "== key: RSA-4096 with an encryption subkey, throwaway home"
mkdir -m 700 "$work/gnupg"
export GNUPGHOME="$work/gnupg"
gpg --batch --passphrase '' --quick-gen-key 'Bench <bench@example.org>' rsa4096 cert never 2>/dev/null
fpr=$(gpg --with-colons --list-keys bench | awk -F: '/^fpr/{print $10; exit}')
gpg --batch --passphrase '' --quick-add-key "$fpr" rsa4096 encr never 2>/dev/null

./mvnw -q -B -o -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
echo "== wal-j (in-process, one JVM, warm)"
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    org.walj.pipeline.gpg.GpgThroughput "$work/input" "$GNUPGHOME" "$fpr" 1 2

echo "== WAL-E's pipeline: lzop -c | gpg -e -z 0 -r KEY"
bytes=$(stat -c %s "$work/input")
for n in 1 2; do
    start=$(date +%s.%N)
    for i in $(seq "$n"); do
        ( lzop -c < "$work/input" | gpg --batch -e -z 0 -r "$fpr" --trust-model always > /dev/null ) &
    done
    wait
    end=$(date +%s.%N)
    awk -v b="$bytes" -v n="$n" -v s="$start" -v e="$end" \
        'BEGIN { printf "lzop|gpg        pipelines=%d  %.1f s  %.0f MB/s\n", n, e - s, n * b / 1e6 / (e - s) }'
done

echo "== WAL-E's read pipeline: gpg -d | lzop -d, one pipeline"
lzop -c < "$work/input" | gpg --batch -e -z 0 -r "$fpr" --trust-model always > "$work/input.lzo.gpg"
start=$(date +%s.%N)
gpg --batch -q -d < "$work/input.lzo.gpg" | lzop -d -c > /dev/null
end=$(date +%s.%N)
awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN { printf "gpg -d|lzop -d  %.1f s  %.0f MB/s\n", e - s, b / 1e6 / (e - s) }'
