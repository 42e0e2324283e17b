#!/usr/bin/env python3
"""Benchmark, not a test: what the first two wal-push calls cost when no daemon runs yet, the default configuration
(the first call finds no daemon and starts one on demand), for this checkout's launcher ("after") and another
build's ("before", its jar and native client beside it), and for any more launchers named NAME=PATH (e.g. variants
copied aside); "off" is this checkout's launcher with WALJ_DAEMON_AUTOSTART=off (a JVM per call, nothing started).
CPU = each call's rusage (wait4, the launcher's whole process tree) + the started daemon's JVM CPU (/proc) once its
socket exists and both calls are done, i.e. the daemon's start-up included. Each round starts from an empty archive
and runtime directory; the class-data archives (WALJ_CDS_DIR, one per launcher) persist, as on a real host; one
warm-up round is not counted; the launchers' order rotates from round to round. A NAME starting with "wal-e"
(e.g. wal-e=/path/to/wal-e, never part of this repository) is WAL-E, run with the same arguments and WALE_FILE_PREFIX:
no daemon, so its CPU is the two calls' alone.
Also each call's wall time and when the daemon's socket appeared (polled every 5 ms), from the first call's fork.
GAP: "socket" (default) runs the second call once the daemon's socket exists (archive_command at a segment's pace);
"0" runs it as soon as the first returned (a backlog: the second call finds the daemon starting).
BENCH_COMMAND=wal-fetch: the two calls are wal-fetch of segments 1 and 2 instead (into pg_wal/RECOVERYXLOG), from an
archive of segments 1-4 pushed once before the rounds (with WALJ_DAEMON_AUTOSTART=off) and copied into each round's.
Usage: bench/first-pushes.py SEGMENT BEFORE_LAUNCHER [ROUNDS [GAP [NAME=LAUNCHER ...]]]
       (SEGMENT: a 16 MiB file, e.g. md5_segment's; BEFORE_LAUNCHER "-": none)"""
import glob, os, signal, subprocess, sys, threading, time, shutil, statistics, tempfile
seg = os.path.abspath(sys.argv[1]); top = tempfile.mkdtemp(prefix="walj-first-pushes."); work = top + "/w"
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
gap = sys.argv[4] if len(sys.argv) > 4 else "socket"
tick = os.sysconf("SC_CLK_TCK")
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
launchers = {} if sys.argv[2] == "-" else {"before": os.path.abspath(sys.argv[2])}
launchers["after"] = here + "/packaging/wal-j"
for a in sys.argv[5:]:
    name, path = a.split("=", 1)
    launchers[name] = here + "/packaging/wal-j" if name == "off" else os.path.abspath(path)
keys = list(launchers)
nodaemon = lambda k: k == "off" or k.startswith("wal-e")
command = os.environ.get("BENCH_COMMAND", "wal-push")
template = top + "/archive-template"
if command == "wal-fetch":
    os.makedirs(template + "/wal_005"); os.makedirs(top + "/t/pg_wal/archive_status")
    for i in range(1, 5):
        name = "00000001000000000000000%d" % i
        shutil.copy(seg, top + "/t/pg_wal/" + name)
        subprocess.run([here + "/packaging/wal-j", "wal-push", "pg_wal/" + name], cwd=top + "/t", check=True,
                       env=dict(os.environ, WALJ_DAEMON_AUTOSTART="off", WALE_FILE_PREFIX="file://localhost" + template,
                                WALJ_CDS_DIR=top + "/cds-template"), stderr=subprocess.DEVNULL)
res = {k: [] for k in keys}; cpu1 = {k: [] for k in keys}; cpu2 = {k: [] for k in keys}
wall1 = {k: [] for k in keys}; wall2 = {k: [] for k in keys}; sock1 = {k: [] for k in keys}

def java_of(pidfile):
    sid = int(open(pidfile).read())
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                st = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                cmd = open(f"/proc/{pid}/cmdline", "rb").read()
                if int(st[3]) == sid and b"--idle-exit" in cmd and cmd.split(b"\0")[0].endswith(b"java"):
                    return pid, (int(st[11]) + int(st[12])) * 1000 / tick
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return None, 0

def await_socket(seconds=30):
    for _ in range(seconds * 10):
        if glob.glob(work + "/xdg/wal-j/*.sock"): return True
        time.sleep(0.1)
    return False

print(f"{command}, {rounds} rounds, gap {gap}, {os.cpu_count()} cores, load {open('/proc/loadavg').read().split()[:3]}, "
      f"{time.strftime('%H:%M:%S', time.gmtime())} UTC", flush=True)
for r in range(-1, rounds):
    order = keys[r % len(keys):] + keys[:r % len(keys)] if r >= 0 else keys
    for k in order:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work + "/pg_wal/archive_status"); os.makedirs(work + "/xdg", mode=0o700)
        if command == "wal-fetch": shutil.copytree(template, work + "/archive")
        else: os.makedirs(work + "/archive/wal_005")
        env = dict(os.environ, XDG_RUNTIME_DIR=work + "/xdg", WALE_FILE_PREFIX="file://localhost" + work + "/archive",
                   WALJ_CDS_DIR=top + "/cds-" + k)
        for v in ("WALJ_CLIENT", "WALJ_DAEMON_SOCKET", "WALJ_DAEMON_AUTOSTART"): env.pop(v, None)
        if k == "off": env["WALJ_DAEMON_AUTOSTART"] = "off"
        cpu = 0; t0 = 0; seen = []; stop = []
        for i in (1, 2):
            name = "00000001000000000000000%d" % i
            if command == "wal-push":
                shutil.copy(seg, work + "/pg_wal/" + name)
                argv = [launchers[k], "wal-push", "--pool-size", "1", "pg_wal/" + name]
            else:
                argv = [launchers[k], "wal-fetch", name, "pg_wal/RECOVERYXLOG"]
            t = time.monotonic()
            if i == 1:
                t0 = t
                def poll():
                    while not seen and not stop and time.monotonic() - t0 < 30:
                        if glob.glob(work + "/xdg/wal-j/*.sock"): seen.append(time.monotonic() - t0)
                        else: time.sleep(0.005)
                poller = threading.Thread(target=poll, daemon=True); poller.start()  # "off" too: the same CPU beside
            p = subprocess.Popen(argv, env=env, cwd=work,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, st, ru = os.wait4(p.pid, 0)
            w = (time.monotonic() - t) * 1000
            assert st == 0, f"{k} call {i}: status {st}"
            c = (ru.ru_utime + ru.ru_stime) * 1000
            cpu += c
            if r >= 0:
                (wall1 if i == 1 else wall2)[k].append(w); (cpu1 if i == 1 else cpu2)[k].append(c)
            if i == 1 and gap == "socket" and not nodaemon(k):
                await_socket()
        dcpu = 0
        if nodaemon(k):
            stop.append(1); poller.join()
        else:
            await_socket()
            poller.join()
            time.sleep(0.2)
            pf = glob.glob(work + "/xdg/wal-j/*.pid")[0]
            jpid, dcpu = java_of(pf)
        if r >= 0:
            res[k].append(cpu + dcpu); sock1[k].append(seen[0] * 1000 if seen else float("nan"))
        if not nodaemon(k):
            os.killpg(int(open(pf).read()), signal.SIGTERM)
            for _ in range(100):  # gone: its session ended (the pid file is removed last)
                if not os.path.exists(pf): break
                time.sleep(0.1)
        time.sleep(1.5)  # every round, "off" too: the next one starts from the same quiet
        if r >= 0:
            print(f"round {r} {k}: call 1 {cpu1[k][-1]:.0f} ms CPU, {wall1[k][-1]:.0f} ms wall; call 2 {cpu2[k][-1]:.0f} ms"
                  f" CPU, {wall2[k][-1]:.0f} ms wall; socket after {sock1[k][-1]:.0f} ms; both calls + daemon"
                  f" {cpu + dcpu:.0f} ms CPU", flush=True)
print(f"end {time.strftime('%H:%M:%S', time.gmtime())} UTC, load {open('/proc/loadavg').read().split()[:3]}")
m = lambda v: statistics.median(v)
for k in keys:
    print(f"{k}: call 1 wall median {m(wall1[k]):.0f} ms (all {[round(x) for x in wall1[k]]}), CPU {m(cpu1[k]):.0f} ms;"
          f" call 2 wall median {m(wall2[k]):.0f} ms (all {[round(x) for x in wall2[k]]}), CPU {m(cpu2[k]):.0f} ms;"
          f" socket after median {m(sock1[k]):.0f} ms; both calls + daemon CPU median {m(res[k]):.0f} ms,"
          f" all {[round(x) for x in res[k]]}")
shutil.rmtree(top, ignore_errors=True)
