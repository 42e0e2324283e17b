#!/usr/bin/env bash
# Benchmark, not a test: what the on-demand daemon (on by default; WALJ_DAEMON_AUTOSTART=off turns it off) costs
# the cold call that starts it (docs/daemon.md, "Started on demand"). A real 16 MiB segment of md5-text rows, file
# backend, interleaved rounds of:
#   off        WALJ_DAEMON_AUTOSTART=off: a JVM does the push in-process (as before)
#   on-start   the default, no daemon yet: the launcher picks the socket (the native client's key, else awk + cksum),
#              a JVM of the call's own does the push in-process, and the launcher starts a daemon detached once that
#              JVM has exited (2026-12-07 round 5; from round 3 it started the daemon first and waited for it, which
#              then did the push); the daemon is stopped again before the next round
#   on-refused the default, a runtime directory it must not use (another user's): one WARNING, in-process
#   on-served  the default, the daemon on-start started answering (the native client when built): the daemon's first
#              push (its JIT cold) since on-start pushes in-process
#   socket     the same daemon asked with WALJ_DAEMON_SOCKET set and the setting off: the client alone, no key
# The call's CPU is the launcher's whole waited-for process tree (sh, awk, cksum, java), from wait4's rusage: what
# PostgreSQL's archiver waits for; wall is from fork to that wait's return. The detached daemon is not in it; its
# start-up CPU is printed apart (/proc).
# Usage: bench/autostart-cold.sh [ROUNDS]   (./mvnw -q -B -DskipTests package first; PostgreSQL server programs)
set -euo pipefail
rounds=${1:-10}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
need_jar
make_work autostart

md5_segment 5498
mkdir -p "$work/archive/wal_005" "$work/cds" "$work/ro"
mkdir -m 700 "$work/xdg" "$work/ro/wal-j"
chown postgres: "$work/ro/wal-j"
cd "$work"
export WALJ_CDS_DIR=$work/cds WALE_FILE_PREFIX="file://localhost$work/archive" WALJ_DAEMON_IDLE_EXIT=600
unset WALJ_CLIENT WALJ_CDS WALJ_DAEMON_SOCKET WALJ_DAEMON_AUTOSTART XDG_RUNTIME_DIR

echo "segment $seg ($(stat -c %s "pg_wal/$seg") bytes), $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$rounds" "$walj" "$work" "$seg" <<'EOF'
import glob, os, random, signal, statistics, subprocess, sys, time
rounds, walj, work, seg = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
tick = os.sysconf("SC_CLK_TCK")
rows = {k: [] for k in ("off", "on-start", "on-refused", "on-served", "socket")}
walls = {k: [] for k in rows}
daemon_start_cpu = []
daemon_rss = []

last_wall = [0.0]

def call(extra, expect_warning=False, expect_served=False):
    env = dict(os.environ, **extra)
    t0 = time.monotonic()
    p = subprocess.Popen([walj, "wal-push", "--pool-size", "1", "pg_wal/" + seg], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, ru = os.wait4(p.pid, 0)
    last_wall[0] = (time.monotonic() - t0) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("wal-push failed: " + err[:400])
    warned = err.count("wal-j: WARNING:")
    if warned != (1 if expect_warning else 0):
        sys.exit("unexpected warnings: " + err[:400])
    if expect_served and "working in-process" in err:
        sys.exit("the daemon did not serve: " + err[:400])
    return (ru.ru_utime + ru.ru_stime) * 1000

def stop_daemons():
    for pidfile in glob.glob(work + "/xdg/wal-j/*.pid"):
        try:
            pid = int(open(pidfile).read().strip())
            os.killpg(pid, signal.SIGTERM)
        except (ValueError, ProcessLookupError, FileNotFoundError):
            pass
    for _ in range(600):
        if not glob.glob(work + "/xdg/wal-j/*.pid") and not glob.glob(work + "/xdg/wal-j/*.sock"):
            return
        time.sleep(0.1)
    sys.exit("daemon did not stop")

def daemon_java():
    # the JVM in the session of this bench's daemon (<key>.pid names flock, its leader): not another run's daemon
    sid = int(open(glob.glob(work + "/xdg/wal-j/*.pid")[0]).read())
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                st = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
                cmd = open("/proc/%s/cmdline" % pid, "rb").read().split(b"\0")
                if int(st[3]) == sid and b"--idle-exit" in cmd and cmd[0].endswith(b"java"):
                    return pid
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    sys.exit("no daemon JVM found")

def daemon_peak_rss_mib():
    for line in open("/proc/%s/status" % daemon_java()):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0

def daemon_java_cpu_ms():
    # the daemon's JVM, once it listens (its start-up; before round 5 also the push of the call that waited for it)
    for _ in range(600):
        if glob.glob(work + "/xdg/wal-j/*.sock"):
            break
        time.sleep(0.1)
    f = open("/proc/%s/stat" % daemon_java()).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / tick

on = {"XDG_RUNTIME_DIR": work + "/xdg"}  # the default: nothing set
off = {"WALJ_DAEMON_AUTOSTART": "off"}
for extra in (off, on):  # warm-up: class-data archives of both paths
    call(extra)
daemon_java_cpu_ms()  # the warm-up's daemon, started after that call's own push: listening before it is stopped
stop_daemons()
for r in range(rounds):
    # off and on-refused in a seeded random order: neither always follows the previous round's daemon stop
    for k in random.Random(r).sample(["off", "on-refused"], 2):
        if k == "off":
            rows[k].append(call(off))
            walls[k].append(last_wall[0])
        else:
            rows[k].append(call(dict(on, XDG_RUNTIME_DIR=work + "/ro"), expect_warning=True))
            walls[k].append(last_wall[0])
    rows["on-start"].append(call(on))
    walls["on-start"].append(last_wall[0])
    daemon_start_cpu.append(daemon_java_cpu_ms())
    rows["on-served"].append(call(on, expect_served=True))
    walls["on-served"].append(last_wall[0])
    daemon_rss.append(daemon_peak_rss_mib())
    sock = glob.glob(work + "/xdg/wal-j/*.sock")[0]
    rows["socket"].append(call(dict(off, WALJ_DAEMON_SOCKET=sock), expect_served=True))
    walls["socket"].append(last_wall[0])
    stop_daemons()
for k, v in rows.items():
    print("%-10s call CPU ms  median %7.1f  mean %7.1f  min %7.1f  max %7.1f   wall ms median %7.1f  min %7.1f" % (
        k, statistics.median(v), statistics.mean(v), min(v), max(v), statistics.median(walls[k]), min(walls[k])))
print("daemon start-up (JVM, until it listens; with the first push it served when a call waited for it) CPU ms"
      " median %.0f (10 ms ticks)" % statistics.median(daemon_start_cpu))
print("daemon peak RSS after one push served: median %.0f MiB, max %.0f MiB" % (statistics.median(daemon_rss), max(daemon_rss)))
EOF
