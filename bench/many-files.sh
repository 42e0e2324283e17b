#!/usr/bin/env bash
# Benchmark, not a test: a cleanly stopped cluster plus N small files (DIRS directories of N/DIRS files, 1 to 512
# bytes each, below PGDATA/many/), backed up, verified and restored by wal-j as an operator runs it (the launcher,
# its default heap -Xmx256m, default --pool-size), and by pgBackRest (--no-online, lz4, repo on local disk) when it is
# installed. Prints wall time, CPU seconds (user + sys), peak RSS, and microseconds of wall time per file. Every
# restore is compared with the source (names, sizes, modes and contents of every file under many/ and base/;
# pg_internal.init, which pgBackRest leaves out, not compared).
# Usage: bench/many-files.sh [FILES [DIRS [PGBACKREST_PROCESSES]]]   (default 1000000 files in 100 directories; 2)
#   PGBR_STEPS="backup verify restore" (the default): pgBackRest's steps to run; at ~2 ms of wall per file under load
#   each of its steps takes half an hour or more at a million files, so a short run may keep only `backup` (or none:
#   PGBR_STEPS=" ").
#   BENCH_JAVA_OPTS_B="...": an A/B of JVM options on one tree: every wal-j step runs twice, once with WALJ_JAVA_OPTS
#   (A, into archive/) and once with BENCH_JAVA_OPTS_B (B, into archive-b/), the two taking turns in which goes first
#   (push A B, verify B A, fetch A B); each restore compared with the source.
# Needs: target/wal-j.jar, PostgreSQL server programs, GNU time, python3; optional: pgbackrest (apt-get install
# pgbackrest).
set -euo pipefail
files=${1:-1000000}
dirs=${2:-100}
processes=${3:-2}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_jar
need_tools /usr/bin/time:time python3:python3
make_work many-files
pg mkdir -p "$work/bin" "$work/archive/wal_005"
cp "$walj" "$jar" "$work/bin/" && chmod 755 "$work/bin/wal-j" && chmod 644 "$work/bin/wal-j.jar"

echo "==> initdb, start and stop cleanly, then $files files in $dirs directories under PGDATA/many/" >&2
pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust --no-sync >/dev/null
pg "$pgbin/pg_ctl" -D "$work/pg" -o "-c listen_addresses='' -c unix_socket_directories=$work -c port=5497" \
  -l "$work/pg.log" -w start >/dev/null
pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
pg python3 - "$work/pg/many" "$files" "$dirs" <<'PY'
import os, sys
root, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = -(-n // d)
made = 0
for i in range(d):
    sub = os.path.join(root, "d%03d" % i)
    os.makedirs(sub, mode=0o700)
    for j in range(min(per, n - made)):
        fd = os.open(os.path.join(sub, "f%07d" % j), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, (b"%d/%d " % (i, j)) * (1 + (i * per + j) % 64))
        os.close(fd)
        made += 1
PY
bytes=$(du -sb --apparent-size --exclude=pg_wal "$work/pg" | cut -f1)
echo "    PGDATA without pg_wal: $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB (apparent size)" >&2

# the same listing on both sides: every file and directory under many/ and base/ with mode (and a file's size: a
# directory's depends on how it was filled), and the
# contents of all files concatenated in name order
fingerprint() {
  (cd "$1" && find many base \( -type d -printf '%p d %m\n' \) -o \( ! -name pg_internal.init -printf '%p %y %m %s\n' \) \
    | LC_ALL=C sort \
    && find many base -type f ! -name pg_internal.init -print0 | LC_ALL=C sort -z | xargs -0 cat | md5sum)
}
fingerprint "$work/pg" >"$work/source.fp"
same_as_source() {
  if cmp -s "$work/source.fp" <(fingerprint "$1"); then echo "    $2: restored files identical to the source" >&2
  else echo "    $2: RESTORED FILES DIFFER" >&2; diff "$work/source.fp" <(fingerprint "$1") | head -5 >&2; exit 1; fi
}

row() { # tool step: the row, also on stderr at once (a long run shows its figures as they come)
  local r
  r=$(printf '| %s | %s | %.1f | %.1f | %s | %.1f |' "$1" "$2" "$t_wall" "$t_cpu" "$t_rss" \
    "$(awk -v w="$t_wall" -v n="$files" 'BEGIN { print w * 1e6 / n }')")
  echo "    $r" >&2
  echo "$r"
}
variants=(A)
[ -n "${BENCH_JAVA_OPTS_B:-}" ] && variants=(A B)
walj_env() { # VARIANT: the environment of that variant's wal-j runs
  if [ "$1" = B ]; then
    walj_env=(env WALE_FILE_PREFIX="file://localhost$work/archive-b" WALJ_JAVA_OPTS="$BENCH_JAVA_OPTS_B")
  else
    walj_env=(env WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_JAVA_OPTS="${WALJ_JAVA_OPTS:-}")
  fi
}
label() { if [ ${#variants[@]} -gt 1 ]; then echo "wal-j $1"; else echo wal-j; fi; }
in_turn() { # STEP_NUMBER: the variants in this step's order (the second step reversed)
  if [ $(($1 % 2)) -eq 0 ]; then printf '%s\n' "${variants[@]}"; else printf '%s\n' "${variants[@]}" | tac; fi
}
pg mkdir -p "$work/archive-b/wal_005"
table=()

for v in $(in_turn 0); do
  walj_env "$v"
  echo "==> $(label "$v") backup-push ($(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)" >&2
  drop_caches
  timed "${as_pg[@]}" "${walj_env[@]}" "$work/bin/wal-j" --terse backup-push --while-offline "$work/pg"
  table+=("$(row "$(label "$v")" "backup-push --while-offline")")
done
for v in $(in_turn 1); do
  walj_env "$v"
  echo "==> $(label "$v") backup-verify ($(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)" >&2
  drop_caches
  timed "${as_pg[@]}" "${walj_env[@]}" "$work/bin/wal-j" --terse backup-verify LATEST
  table+=("$(row "$(label "$v")" "backup-verify")")
done
for v in $(in_turn 2); do
  walj_env "$v"
  echo "==> $(label "$v") backup-fetch ($(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)" >&2
  drop_caches
  timed "${as_pg[@]}" "${walj_env[@]}" "$work/bin/wal-j" --terse backup-fetch "$work/restored" LATEST
  table+=("$(row "$(label "$v")" "backup-fetch")")
  same_as_source "$work/restored" "$(label "$v")"
  pg rm -rf "$work/restored"
done
stored=$(size_mb "$work/archive")

if command -v pgbackrest >/dev/null; then
  PGBR_STANZA_OPTS=--no-online pgbackrest_conf "$work/pg" 5497 "$processes"
  br=(pgbackrest --config="$work/pgbackrest.conf" --stanza=bench)
  steps=" ${PGBR_STEPS:-backup verify restore} "
  if [[ $steps == *" backup "* ]]; then
    echo "==> pgBackRest backup ($(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC)" >&2
    drop_caches
    timed "${as_pg[@]}" "${br[@]}" --no-online --type=full backup
    table+=("$(row "pgBackRest $(pgbackrest version | awk '{print $2}') (process-max $processes)" "backup --no-online")")
  fi
  if [[ $steps == *" verify "* ]]; then
    drop_caches
    timed "${as_pg[@]}" "${br[@]}" verify
    table+=("$(row "pgBackRest" "verify")")
  fi
  if [[ $steps == *" restore "* ]]; then
    pg mkdir -m 700 "$work/br-restored"
    drop_caches
    timed "${as_pg[@]}" "${br[@]}" --pg1-path="$work/br-restored" restore
    table+=("$(row "pgBackRest" "restore")")
    same_as_source "$work/br-restored" pgBackRest
  fi
  [[ $steps == *" backup "* ]] && br_stored=$(size_mb "$work/pgbr")
fi

echo
[ ${#variants[@]} -gt 1 ] && echo "A: WALJ_JAVA_OPTS=${WALJ_JAVA_OPTS:-}; B: WALJ_JAVA_OPTS=$BENCH_JAVA_OPTS_B"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$files files in $dirs directories; $(nproc) cores; wal-j stored ${stored} MB${br_stored:+, pgBackRest ${br_stored} MB}"
echo
echo "| tool | step | wall s | CPU s | peak RSS MiB | wall µs per file |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${table[@]}"
