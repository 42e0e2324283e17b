#!/usr/bin/env python3
"""Benchmark, not a test: CPU of the launcher on the way to java, for the calls that do not reach the native client:
wal-push in-process (WALJ_CLIENT=none) and through the JVM client (WALJ_CLIENT=jvm, a socket there). java is a
stand-in that exits 0 at once (a copy of true) in a fake JDK home with a release file of JDK 17, found on PATH through
two symlinks as Debian's /usr/bin/java -> /etc/alternatives/java -> the JDK; the jar is empty and no native client
is beside it; WALJ_CDS=off. CPU = user + system of the launcher's process tree (wait4's rusage), RUNS runs, the first
tenth left out; the launchers are run alternately, ROUNDS times. With strace on PATH, the processes of one call are
counted first (execve, and clone/fork without CLONE_THREAD).
Usage: bench/launcher-to-java.py LAUNCHER [LAUNCHER...] [--runs N] [--rounds N]"""
import argparse, os, re, shutil, socket, statistics, subprocess, tempfile

parser = argparse.ArgumentParser()
parser.add_argument("launchers", nargs="+")
parser.add_argument("--runs", type=int, default=150)
parser.add_argument("--rounds", type=int, default=2)
args = parser.parse_args()
launchers = [os.path.abspath(p) for p in args.launchers]

t = tempfile.mkdtemp(prefix="walj-launcher-to-java.")
try:
    for d in ["jdk/bin", "alternatives", "bin", "run"]:
        os.makedirs(f"{t}/{d}", mode=0o700)
    shutil.copy(shutil.which("true"), f"{t}/jdk/bin/java")
    with open(f"{t}/jdk/release", "w") as f:
        f.write('JAVA_VERSION="17.0.13"\n')
    os.symlink(f"{t}/jdk/bin/java", f"{t}/alternatives/java")
    os.symlink(f"{t}/alternatives/java", f"{t}/bin/java")
    open(f"{t}/wal-j.jar", "w").close()
    server = socket.socket(socket.AF_UNIX)
    server.bind(f"{t}/daemon.sock")
    server.listen(8)
    env = {k: v for k, v in os.environ.items() if not re.match(r"^(WALE_|WALJ_|AWS_|XDG_|JAVA_HOME$)", k)}
    env.update(PATH=f"{t}/bin:/usr/bin:/bin", WALJ_JAR=f"{t}/wal-j.jar", WALJ_CDS="off", XDG_RUNTIME_DIR=f"{t}/run")
    modes = {"in-process (WALJ_CLIENT=none)": dict(WALJ_CLIENT="none"),
             "JVM client (WALJ_CLIENT=jvm)": dict(WALJ_CLIENT="jvm", WALJ_DAEMON_SOCKET=f"{t}/daemon.sock")}
    strace = shutil.which("strace")

    def call(launcher, mode_env):
        return ["/bin/sh", launcher, "wal-push", "pg_wal/000000010000000000000001"], dict(env, **mode_env)

    def processes(launcher, mode_env):
        argv, e = call(launcher, mode_env)
        trace = f"{t}/trace"
        subprocess.run([strace, "-f", "-qq", "-e", "trace=execve,clone,clone3,fork,vfork", "-o", trace] + argv,
                       env=e, check=True)
        execs, forks = [], 0
        with open(trace) as f:
            for line in f:
                line = re.sub(r"^\d+ +", "", line)
                if line.startswith("execve("):
                    execs.append(os.path.basename(line.split('"')[1]))
                elif re.match(r"(clone3?|v?fork)\(", line) and "CLONE_THREAD" not in line:
                    forks += 1
        return f"{len(execs)} execve ({' '.join(execs)}), {forks} fork"

    def cpu(launcher, mode_env):
        argv, e = call(launcher, mode_env)
        ms = []
        for _ in range(args.runs):
            p = subprocess.Popen(argv, env=e)
            _, status, ru = os.wait4(p.pid, 0)
            if status != 0:
                raise SystemExit(f"{launcher} exited with {status}")
            ms.append((ru.ru_utime + ru.ru_stime) * 1000)
        ms = ms[args.runs // 10:]
        return f"mean {statistics.mean(ms):.2f} ms, median {statistics.median(ms):.2f} ms"

    for mode, mode_env in modes.items():
        for launcher in launchers:
            if strace:
                print(f"{mode} {launcher}: per call {processes(launcher, mode_env)}")
    for _ in range(args.rounds):
        for mode, mode_env in modes.items():
            for launcher in launchers:
                print(f"{mode} {launcher}: launcher CPU to java {cpu(launcher, mode_env)} "
                      f"({args.runs - args.runs // 10} runs, load {open('/proc/loadavg').read().split()[0]})",
                      flush=True)
finally:
    shutil.rmtree(t, ignore_errors=True)
