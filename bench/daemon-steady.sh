#!/usr/bin/env bash
# Benchmark, not a test: a daemon's steady-state CPU per pushed segment, and what its JIT choice does to it
# (docs/performance.md, "Where the daemon's CPU goes"). A real 16 MiB segment of md5-text rows is copied under
# WARMUP + PUSHES names (the daemon remembers a path it stored, so each push is real work), one `wal-j daemon` per
# variant is started by hand, and every copy is pushed through it with the native client, one after the other; the
# daemon's JVM CPU (/proc/PID/stat, user + system) is read after the warm-up pushes and after the rest. Variants:
#   default   the daemon as the launcher starts it (C1 only, -XX:TieredStopAtLevel=1)
#   c2        the same with WALJ_JAVA_OPTS=-XX:TieredStopAtLevel=4 (C2 too; appended, so it wins)
#   base      the default with another build's jar (BENCH_BASELINE_JAR=PATH, its native client beside it): before/after
# BENCH_VARIANTS="default" picks variants; BENCH_JAVA_OPTS adds JVM options to every daemon (e.g.
# "-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit" for `perf record -a`).
# Usage: bench/daemon-steady.sh [PUSHES [WARMUP]]   (root or the server's user; ./mvnw -q -B -DskipTests package)
set -euo pipefail
pushes=${1:-40}
warmup=${2:-20}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_jar
make_work daemon-steady
md5_segment 5496
ticks=$(getconf CLK_TCK)
echo "segment $seg, $warmup warm-up + $pushes measured pushes per variant, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
base=$((16#${seg:16:8}))
for v in ${BENCH_VARIANTS:-default c2 default c2}; do
  dir=$work/$v-$RANDOM
  pg mkdir -p "$dir/pg_wal/archive_status" "$dir/archive/wal_005"
  pg mkdir -m 700 "$dir/run"
  for i in $(seq 1 $((warmup + pushes))); do
    name=$(printf '%s%08X' "${seg:0:16}" $((base + i)))
    cp "$work/pg_wal/$seg" "$dir/pg_wal/$name"
    touch "$dir/pg_wal/archive_status/$name.ready"
  done
  chown -R postgres: "$dir" 2>/dev/null || true
  opts=${BENCH_JAVA_OPTS:-}
  [ "$v" = c2 ] && opts="$opts -XX:TieredStopAtLevel=4"
  envs=(WALE_FILE_PREFIX="file://localhost$dir/archive" WALJ_DAEMON_SOCKET="$dir/run/d.sock" WALJ_JAVA_OPTS="$opts")
  if [ "$v" = base ]; then envs+=(WALJ_JAR="${BENCH_BASELINE_JAR:?set BENCH_BASELINE_JAR to the jar of the other build}"); fi
  # --push-ahead 0: only the requests' own segments, one at a time
  pg env "${envs[@]}" "$walj" daemon --push-ahead 0 >"$dir/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 1 300); do [ -S "$dir/run/d.sock" ] && break; sleep 0.2; done
  jvm=$(worker_pid "$daemon_pid")
  cpu() { awk '{ print $14 + $15 }' "/proc/$jvm/stat"; }
  i=0
  for f in $(ls "$dir/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort); do
    i=$((i + 1))
    [ "$i" -eq $((warmup + 1)) ] && c0=$(cpu)
    (cd "$dir" && pg env "${envs[@]}" "$walj" wal-push --pool-size 1 "pg_wal/$f" 2>>"$dir/client.err") \
      || { echo "push failed"; tail "$dir/client.err"; exit 1; }
  done
  c1=$(cpu)
  rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$jvm/status")
  # the JVM itself: $daemon_pid is the `pg` subshell, and the daemon (no --idle-exit) would outlive the bench
  kill "$jvm" "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null || true
  grep -q "working in-process" "$dir/client.err" && echo "(some pushes fell back to in-process: not comparable)"
  awk -v a="$c0" -v b="$c1" -v n="$pushes" -v t="$ticks" -v v="$v" -v r="$rss" \
    'BEGIN { printf "%-8s daemon CPU per push (after warm-up): %5.1f ms   peak RSS %s MiB\n", v, (b - a) * 1000 / t / n, r }'
  rm -rf "$dir"
done
