# Shared shell functions of the bench scripts (sourced, not run). Benchmarks, not tests.
# After sourcing: $here (the checkout), $jar, $walj (launcher), $pgbin, pg (run as the server's OS user).

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$here/target/wal-j.jar
walj=$here/packaging/wal-j
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
pg() { "${as_pg[@]}" "$@"; }
# worker_pid PID: the JVM doing the work of `pg COMMAND &` started as PID: `pg` is a function (so PID is a subshell)
# and runuser forks its command; the launcher execs java, so the JVM is the first java process below PID
worker_pid() {
  local p=$1 i
  for i in 1 2 3 4; do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = java ] && { echo "$p"; return 0; }
    p=$(ps -o pid= --ppid "$p" | head -n 1 | tr -d ' ')
    [ -n "$p" ] || break
  done
  echo "no java process below $1" >&2; return 1
}

# need_tools PROGRAM:PACKAGE…: stop with the apt-get line for whatever is missing
need_tools() {
  local missing=() spec
  for spec in "$@"; do
    if ! command -v "${spec%%:*}" >/dev/null 2>&1 && [ ! -x "${spec%%:*}" ]; then missing+=("${spec#*:}"); fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing programs; install them with: apt-get install ${missing[*]}" >&2
    exit 1
  fi
}

need_jar() {
  [ -f "$jar" ] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }
  [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || { echo "PostgreSQL server programs not found (apt-get install postgresql-15)" >&2; exit 1; }
}

# make_work NAME: a scratch directory the server user owns, removed on exit (set $work; add to $cleanups)
make_work() {
  work=$(mktemp -d "/tmp/wal-j-$1.XXXXXX")
  chmod 755 "$work"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work"; fi
  trap 'bench_cleanup' EXIT
}
bench_cleanup() {
  local d
  for d in "$work"/pg*/; do
    [ -f "$d/postmaster.pid" ] && pg "$pgbin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
  [ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null || true
  [ -n "${s3proxy_pid:-}" ] && kill "$s3proxy_pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}

# archiving_conf DIR PORT COMMAND: a cluster on a unix socket in $work only, archiving with COMMAND (no ' in it)
archiving_conf() {
  cat >>"$1/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work'
port = $2
archive_mode = on
archive_command = '$3'
CONF
}

# init_cluster DIR PORT SCALE: initdb, start with a unix socket in $work, pgbench -i -s SCALE
init_cluster() {
  local dir=$1 port=$2 scale=$3
  pg "$pgbin/initdb" -D "$dir" -U postgres --auth=trust >/dev/null
  archiving_conf "$dir" "$port" /bin/true
  echo "max_wal_size = 4GB" >>"$dir/postgresql.conf"
  pg "$pgbin/pg_ctl" -D "$dir" -l "$work/$(basename "$dir").log" -w start >/dev/null
  echo "pgbench -i -s $scale ..." >&2
  pg "$pgbin/pgbench" -h "$work" -p "$port" -U postgres -i -s "$scale" -q postgres >/dev/null 2>&1
}

psql_at() { pg "$pgbin/psql" -X -q -A -t -h "$work" -p "$1" -U postgres -d postgres -c "$2"; }

# pgbackrest_conf DIR PORT PROCESSES: (PGBR_STANZA_OPTS=--no-online for a stopped cluster) writes $work/pgbackrest.conf (repo on local disk, lz4) and creates the stanza
pgbackrest_conf() {
  pg mkdir -p "$work/pgbr" "$work/pgbr-log" "$work/pgbr-lock"
  cat >"$work/pgbackrest.conf" <<CONF
[global]
repo1-path=$work/pgbr
process-max=$3
start-fast=y
archive-check=n
compress-type=lz4
log-level-console=warn
log-path=$work/pgbr-log
lock-path=$work/pgbr-lock

[bench]
pg1-path=$1
pg1-socket-path=$work
pg1-port=$2
CONF
  chmod 644 "$work/pgbackrest.conf"
  pg pgbackrest --config="$work/pgbackrest.conf" --stanza=bench ${PGBR_STANZA_OPTS:-} stanza-create >/dev/null
}

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

# timed COMMAND…: runs once under GNU time; sets t_wall (s), t_cpu (user+sys s), t_rss (MiB); fails loudly
timed() {
  /usr/bin/time -o "$work/.t" -f "%e %U %S %M" "$@" >"$work/.out" 2>&1 || { cat "$work/.out" >&2; return 1; }
  read -r t_wall t_user t_sys t_rss <"$work/.t"
  t_cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN { printf "%.2f", u + s }')
  t_rss=$(awk -v r="$t_rss" 'BEGIN { printf "%.0f", r / 1024 }')
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# timed_median RUNS SETUP COMMAND…: SETUP (a shell snippet) runs untimed before each run; sets m_ms, m_cpu_s, m_rss
timed_median() {
  local runs=$1 setup=$2 i; shift 2
  : >"$work/.runs"
  for i in $(seq 1 "$runs"); do
    bash -c "$setup"
    timed "$@" || return 1
    echo "$t_wall $t_cpu $t_rss" >>"$work/.runs"
  done
  m_ms=$(awk '{print $1 * 1000}' "$work/.runs" | median)
  m_cpu_s=$(awk '{print $2}' "$work/.runs" | median)
  m_rss=$(awk '{print $3}' "$work/.runs" | sort -n | tail -n 1)
}

mb_per_s() { awk -v b="$1" -v w="$2" 'BEGIN { printf "%.0f", b / 1e6 / w }'; }
size_mb() { du -sb "$@" | awk '{ s += $1 } END { printf "%.0f", s / 1e6 }'; }

# walj_has SUBCOMMAND: whether this build knows the subcommand (e.g. daemon), from the root help's command list.
# Not `wal-j SUBCOMMAND --help`: for an unknown subcommand picocli prints the root usage and still exits 0.
# The output is captured first: `grep -q` quits at the first match, and under `set -o pipefail` the SIGPIPE that
# wal-j then gets would make the test fail.
walj_has() { local help; help=$("$walj" --help 2>&1) && grep -E "^ +$1( |$)" <<<"$help" >/dev/null; }

# md5_segment PORT: a real, full 16 MiB WAL segment of md5-text rows (the kind issue 14's load writes) copied to
# $work/pg_wal/ (with archive_status/); sets $seg to its name. A scratch cluster on PORT is made and removed.
md5_segment() {
  pg "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust >/dev/null
  pg "$pgbin/pg_ctl" -D "$work/pg" -o "-c listen_addresses='' -c unix_socket_directories=$work -c port=$1" \
    -l "$work/pg.log" -w start >/dev/null
  pg "$pgbin/psql" -h "$work" -p "$1" -U postgres -q -c "CREATE TABLE t (id int, v text)" \
    -c "INSERT INTO t SELECT g, repeat(md5(g::text), 3) FROM generate_series(1, 300000) g" postgres
  pg "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null
  seg=$(ls "$work/pg/pg_wal" | grep -E '^[0-9A-F]{24}$' | sort | sed -n 2p)
  mkdir -p "$work/pg_wal/archive_status"
  cp "$work/pg/pg_wal/$seg" "$work/pg_wal/$seg"
  rm -rf "$work/pg"
}

# start_s3proxy: a local S3Proxy (target/s3proxy.jar, filesystem backend under $work/s3/data, bucket `bench`) on a
# random port, a separate process stopped by bench_cleanup; sets $s3port, $s3proxy_pid and $s3_env (wal-j's variables
# for it, without the prefix)
start_s3proxy() {
  s3port=$((20000 + RANDOM % 10000))
  mkdir -p "$work/s3/data/bench"; chown -R --reference="$work" "$work/s3"
  printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$s3port" "s3proxy.authorization=aws-v2-or-v4" \
    "s3proxy.identity=bench" "s3proxy.credential=bench-secret" "s3proxy.ignore-unknown-headers=true" \
    "jclouds.provider=filesystem-nio2" "jclouds.filesystem.basedir=$work/s3/data" "jclouds.identity=unused" \
    "jclouds.credential=unused" > "$work/s3/s3proxy.properties"
  java -Xmx512m -jar "$here/target/s3proxy.jar" --properties "$work/s3/s3proxy.properties" >"$work/s3/log" 2>&1 &
  s3proxy_pid=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$s3port/" && break; sleep 0.5; done
  s3_env=(WALE_S3_ENDPOINT="http+path://127.0.0.1:$s3port" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
          AWS_REGION=us-east-1 WALJ_S3_SSE=none)
}
