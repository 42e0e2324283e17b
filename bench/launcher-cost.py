#!/usr/bin/env python3
"""Benchmark, not a test: CPU of the launcher's own work on the path of a served archive_command, i.e. from the
launcher's start to the native client's answer, with no daemon and no JVM: LAUNCHER runs beside a fake jar, the
native client CLIENT (default: this build's target/wal-j-client) finds a socket at the configuration's own path
(auto_socket's key) whose stand-in answers every request with exit status 0 at once. CPU = user + system of the
launcher's whole process tree from wait4's rusage (microseconds), RUNS runs, the first tenth left out. With strace
on PATH, one more call runs under `strace -f` first, and the processes it made are counted (execve, and clone/fork:
each $(...) of the launcher is a fork of the shell).
WALJ_BENCH_FETCH=1: a served wal-fetch instead of a wal-push.
Usage: bench/launcher-cost.py [LAUNCHER [RUNS [CLIENT]]]   (another build's launcher and client: before/after)"""
import os, re, shutil, socket, statistics, struct, subprocess, sys, tempfile, threading

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
launcher = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else f"{here}/packaging/wal-j"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
client = sys.argv[3] if len(sys.argv) > 3 else f"{here}/target/wal-j-client"
t = tempfile.mkdtemp(prefix="walj-launcher-cost.")
try:
    open(f"{t}/wal-j.jar", "w").close()
    shutil.copy(client, f"{t}/wal-j-client")
    os.makedirs(f"{t}/bin")
    for p in ["awk", "cksum", "readlink", "flock", "sleep", "ls", "id", "mkdir", "rm", "mv", "cat"]:
        if shutil.which(p):
            os.symlink(shutil.which(p), f"{t}/bin/{p}")  # no setsid: the first run below cannot start a daemon
    env = {k: v for k, v in os.environ.items() if not re.match(r"^(WALE_|WALJ_|AWS_|XDG_)", k)}
    env.update(PATH=f"{t}/bin", WALJ_JAR=f"{t}/wal-j.jar", XDG_RUNTIME_DIR=f"{t}/run",
               WALE_FILE_PREFIX="file://localhost/var/tmp/archive")
    os.makedirs(f"{t}/run", mode=0o700)
    argv = ["/bin/sh", launcher, "wal-push", "pg_wal/000000010000000000000001"]
    if os.environ.get("WALJ_BENCH_FETCH") == "1":
        argv = ["/bin/sh", launcher, "wal-fetch", "000000010000000000000001", "pg_wal/RECOVERYXLOG"]
    subprocess.run(argv, env=env, capture_output=True)  # creates the runtime directory (and finds no daemon)
    # the socket's name: <runtime dir>/wal-j/<the configuration's key>, as the launcher and the native client name it
    crc, length = subprocess.run([f"{t}/wal-j-client", "--config-key", f"{t}/wal-j.jar", "0"] + argv[2:], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
    auto = f"{t}/run/wal-j/{crc}-{length}"
    server = socket.socket(socket.AF_UNIX)
    server.bind(auto + ".sock")
    server.listen(8)

    def answer():
        while True:
            c, _ = server.accept()
            try:
                c.settimeout(5)
                c.recv(1 << 16)
                c.sendall(b"X" + struct.pack(">II", 4, 0))  # the daemon's exit frame: status 0
            except OSError:
                pass
            c.close()

    threading.Thread(target=answer, daemon=True).start()
    processes = ""
    strace = shutil.which("strace")
    if strace:
        with tempfile.NamedTemporaryFile("r", dir=t) as trace:
            subprocess.run([strace, "-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace.name] + argv,
                           env=env, check=True)
            calls = [re.sub(r"^\d+ +", "", line).split("(")[0] for line in trace.read().splitlines()]
        forks = sum(c in ("clone", "clone3", "fork", "vfork") for c in calls)
        processes = f"; per call {calls.count('execve')} execve, {forks} fork"
    cpu = []
    for _ in range(runs):
        p = subprocess.Popen(argv, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"the launcher exited with {status}: not served")
        cpu.append((ru.ru_utime + ru.ru_stime) * 1000)
    cpu = cpu[runs // 10:]
    print(f"{launcher}: launcher + native client CPU per served {argv[2]}: mean {statistics.mean(cpu):.2f} ms, "
          f"median {statistics.median(cpu):.2f} ms ({len(cpu)} runs, load {open('/proc/loadavg').read().split()[0]}){processes}")
finally:
    shutil.rmtree(t, ignore_errors=True)
