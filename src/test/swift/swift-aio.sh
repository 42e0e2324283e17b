#!/usr/bin/env bash
# Debian's python3 (/usr/bin/python3) is the one with the swift modules; a python3 earlier on PATH may not be.
# A one-node OpenStack Swift "all in one" for the tests (docs/swift.md), from Debian 12's packages (swift,
# swift-proxy, swift-account, swift-container, swift-object, and memcached, which tempauth keeps its tokens in).
#
#   swift-aio.sh DIR PROXY_PORT ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT MEMCACHED_PORT
#   environment: SWIFT_AIO_KEY  the password of the tempauth user test:tester (made up per run by the fixture)
#
# Writes every configuration file, the three rings (one device each, one replica) and the storage under DIR, so
# nothing in /etc/swift is read or changed; then runs memcached and the four servers on 127.0.0.1 in the
# foreground (workers = 0: one process each) and waits. SIGTERM or SIGINT stops them all; if one of them exits, the
# others are stopped and the script exits non-zero. The Java fixture (SwiftServer) records this script's process
# with Orphans, which also stops its children if the test JVM is killed.
set -euo pipefail

if [ $# -ne 6 ] || [ -z "${SWIFT_AIO_KEY:-}" ]; then
  echo "usage: SWIFT_AIO_KEY=... $0 DIR PROXY_PORT ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT MEMCACHED_PORT" >&2
  exit 2
fi
dir=$1 proxy_port=$2 account_port=$3 container_port=$4 object_port=$5 memcached_port=$6
for tool in memcached /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "swift-aio: $tool is not installed" >&2; exit 3; }
done
/usr/bin/python3 -c 'import swift.common.wsgi' 2>/dev/null || { echo "swift-aio: python3-swift is not installed" >&2; exit 3; }

mkdir -p "$dir/srv/d1" "$dir/run" "$dir/log"
user=$(id -un)

cat >"$dir/swift.conf" <<EOF
[swift-hash]
swift_hash_path_prefix = walj-test
swift_hash_path_suffix = walj-test

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
EOF

# One server's configuration, DIR/NAME.conf: NAME's app (egg:swift#NAME without "-server") on PORT behind PIPELINE;
# APP_OPTIONS are added to the app's section, SECTIONS (the pipeline's filters) after it.
# log_address names a socket that does not exist, so Swift's syslog handler falls back to UDP on loopback: the
# servers' own logs are not needed by the tests (the fixture keeps this script's output).
server_conf() {
  local name=$1 port=$2 pipeline=$3 app_options=${4:-} sections=${5:-}
  cat >"$dir/$name.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 0
user = $user
swift_dir = $dir
devices = $dir/srv
mount_check = false
log_address = $dir/run/no-syslog
log_level = WARNING

[pipeline:main]
pipeline = $pipeline

[app:$name]
use = egg:swift#${name%-server}
$app_options

$sections
EOF
}

# A [filter:NAME] section using egg:swift#EGG (NAME when not given), then its option lines.
filter() {
  local name=$1 egg=${2:-$1}
  printf '[filter:%s]\nuse = egg:swift#%s\n' "$name" "$egg"
  [ $# -gt 2 ] && printf '%s\n' "${@:3}"
  echo
}

server_conf account-server "$account_port" account-server
server_conf container-server "$container_port" container-server
server_conf object-server "$object_port" object-server
# The proxy: tempauth with one account (AUTH_test) whose user test:tester may do everything in it; slo for static
# large objects (min_segment_size 1 so that tests can use small segments), bulk for completeness.
server_conf proxy-server "$proxy_port" \
  "catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempauth copy slo dlo proxy-logging proxy-server" \
  "account_autocreate = true
allow_account_management = true" \
  "$(filter tempauth tempauth "user_test_tester = $SWIFT_AIO_KEY .admin"
     filter cache memcache "memcache_servers = 127.0.0.1:$memcached_port"
     # a client's X-Timestamp passes (Swift's default shunts it): tests write an object "from a proxy whose clock is
     # ahead", which makes Swift answer a later PUT of that name with 202
     filter gatekeeper gatekeeper "shunt_inbound_x_timestamp = false"
     for f in catch_errors healthcheck listing_formats bulk copy dlo; do filter "$f"; done
     filter proxy-logging proxy_logging
     filter slo slo "min_segment_size = 1")"

# The three rings as `swift-ring-builder F create 6 1 1`, `add r1z1-127.0.0.1:PORT/d1 100` and `rebalance` make them,
# through the same RingBuilder in one Python process: nine runs of the tool cost ~4.9 CPU-s per start, this ~0.6.
/usr/bin/python3 - "$dir" "$account_port" "$container_port" "$object_port" <<'EOF'
import sys
from swift.common.ring import RingBuilder
for ring, port in zip(('account', 'container', 'object'), map(int, sys.argv[2:5])):
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': port, 'replication_ip': '127.0.0.1',
                     'replication_port': port, 'device': 'd1', 'weight': 100.0, 'meta': ''})
    builder.rebalance()
    builder.get_ring().save('%s/%s.ring.gz' % (sys.argv[1], ring))
    builder.save('%s/%s.builder' % (sys.argv[1], ring))
EOF

pids=()
# TERM first; the servers wait for open keep-alive connections (a test JVM's pool) before they exit, and the data
# is thrown away anyway, so whatever still runs after two seconds is killed.
stop_all() {
  trap - TERM INT EXIT
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 20); do
    alive=false
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null && alive=true
    done
    $alive || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap 'stop_all; exit 0' TERM INT
trap stop_all EXIT

memcached -l 127.0.0.1 -p "$memcached_port" -U 0 -u "$user" -m 32 &
pids+=($!)

# Each server in the foreground, reading swift.conf from DIR instead of /etc/swift.
serve() {
  /usr/bin/python3 - "$dir" "$dir/$1.conf" "$1" <<'EOF' &
import sys
from swift.common import utils
utils.set_swift_dir(sys.argv[1])
from swift.common.wsgi import run_wsgi
options = {}
if sys.argv[3] == 'object-server':
    from swift.obj import server
    options['global_conf_callback'] = server.global_conf_callback
sys.exit(run_wsgi(sys.argv[2], sys.argv[3], **options))
EOF
  pids+=($!)
}
serve account-server
serve container-server
serve object-server
serve proxy-server

echo "swift-aio: serving on 127.0.0.1:$proxy_port (tempauth user test:tester), data in $dir/srv"
# Any child exiting ends the whole server: a half-running Swift would only make tests fail in odd ways.
set +e
wait -n
status=$?
echo "swift-aio: a server exited with status $status; stopping the others" >&2
exit 1
