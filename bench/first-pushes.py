#!/usr/bin/env python3
"""Benchmark, not a test: what the first two wal-push calls cost when no daemon runs yet, the default configuration
(the first call starts a daemon on demand), for this checkout's launcher ("after") and another build's ("before",
its jar and native client beside it): CPU = both calls' rusage (wait4, the launcher's whole process tree) + the
started daemon's JVM CPU after the second call (/proc), i.e. the daemon's start-up included. Each round starts from
an empty archive and runtime directory; the class-data archives (WALJ_CDS_DIR, one per launcher) persist, as on a
real host; one warm-up round is not counted; the two launchers alternate which goes first.
Also the first call's wall time and when the daemon's socket appeared (polled every 5 ms), from that call's fork.
Usage: bench/first-pushes.py SEGMENT BEFORE_LAUNCHER [ROUNDS]   (SEGMENT: a 16 MiB file, e.g. md5_segment's)"""
import glob, os, signal, subprocess, sys, threading, time, shutil, statistics, tempfile
seg = os.path.abspath(sys.argv[1]); top = tempfile.mkdtemp(prefix="walj-first-pushes."); work = top + "/w"
tick = os.sysconf("SC_CLK_TCK")
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
launchers = {"before": os.path.abspath(sys.argv[2]), "after": here + "/packaging/wal-j"}
res = {k: [] for k in launchers}; calls1 = {k: [] for k in launchers}
wall1 = {k: [] for k in launchers}; sock1 = {k: [] for k in launchers}
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
for r in range(-1, int(sys.argv[3]) if len(sys.argv) > 3 else 4):
    for k in (["before", "after"] if r % 2 == 0 else ["after", "before"]):
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work + "/pg_wal/archive_status"); os.makedirs(work + "/archive/wal_005"); os.makedirs(work + "/xdg", mode=0o700)
        env = dict(os.environ, XDG_RUNTIME_DIR=work + "/xdg", WALE_FILE_PREFIX="file://localhost" + work + "/archive",
                   WALJ_CDS_DIR=top + "/cds-" + k)
        for v in ("WALJ_CLIENT", "WALJ_DAEMON_SOCKET", "WALJ_DAEMON_AUTOSTART"): env.pop(v, None)
        cpu = 0
        for i in (1, 2):
            name = "00000001000000000000000%d" % i
            shutil.copy(seg, work + "/pg_wal/" + name)
            t0 = time.monotonic(); seen = []
            def poll():
                while not seen and time.monotonic() - t0 < 30:
                    if glob.glob(work + "/xdg/wal-j/*.sock"): seen.append(time.monotonic() - t0)
                    else: time.sleep(0.005)
            poller = threading.Thread(target=poll, daemon=True)
            if i == 1: poller.start()
            p = subprocess.Popen([launchers[k], "wal-push", "--pool-size", "1", "pg_wal/" + name], env=env, cwd=work,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, st, ru = os.wait4(p.pid, 0)
            w = (time.monotonic() - t0) * 1000
            if i == 1:
                poller.join()
                if r >= 0: wall1[k].append(w); sock1[k].append(seen[0] * 1000 if seen else float("nan"))
            assert st == 0
            c = (ru.ru_utime + ru.ru_stime) * 1000
            if i == 1 and r >= 0: calls1[k].append(c)
            cpu += c
            if i == 1:
                for _ in range(300):
                    if glob.glob(work + "/xdg/wal-j/*.sock"): break
                    time.sleep(0.1)
        pf = glob.glob(work + "/xdg/wal-j/*.pid")[0]
        jpid, dcpu = java_of(pf)
        if r >= 0: res[k].append(cpu + dcpu)
        os.killpg(int(open(pf).read()), signal.SIGTERM)
        time.sleep(1.5)
        if r >= 0: print(f"round {r} {k}: first call {calls1[k][-1]:.0f} ms CPU, {wall1[k][-1]:.0f} ms wall, socket after {sock1[k][-1]:.0f} ms; calls + daemon after two pushes {cpu + dcpu:.0f} ms", flush=True)
for k in res:
    print(f"{k}: first call CPU median {statistics.median(calls1[k]):.0f} ms, wall median {statistics.median(wall1[k]):.0f} ms, socket after median {statistics.median(sock1[k]):.0f} ms; two pushes incl. the daemon's start, median {statistics.median(res[k]):.0f} ms, all {[round(x) for x in res[k]]}")
shutil.rmtree(top, ignore_errors=True)
