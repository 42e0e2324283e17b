#!/usr/bin/env python3
"""Benchmark helper, not a test: runs a command and reports the CPU seconds (user+sys, and each) of each thread of the java
process it becomes (or starts), grouped by thread name, read from /proc/PID/task/*/stat every 50 ms (a thread's
last reading counts, so short-lived threads may lose up to 50 ms each).
Usage: bench/thread-cpu.py COMMAND...   (e.g. runuser -u postgres -- env ... packaging/wal-j backup-fetch DIR LATEST)"""
import collections, os, re, subprocess, sys, time

tick = os.sysconf('SC_CLK_TCK')
child = subprocess.Popen(sys.argv[1:])
seen = {}  # (pid, tid) -> (name, cpu ticks)
start = time.time()

def java_pids(root):
    pids, todo = [], [root]
    while todo:
        p = todo.pop()
        try:
            if open(f'/proc/{p}/comm').read().strip() == 'java':
                pids.append(p)
            for t in os.listdir(f'/proc/{p}/task'):
                kids = open(f'/proc/{p}/task/{t}/children').read().split()
                todo.extend(int(k) for k in kids)
        except OSError:
            pass
    return pids

while child.poll() is None:
    for pid in java_pids(child.pid):
        try:
            tids = os.listdir(f'/proc/{pid}/task')
        except OSError:
            continue
        for tid in tids:
            try:
                stat = open(f'/proc/{pid}/task/{tid}/stat').read()
            except OSError:
                continue
            name = stat[stat.index('(') + 1:stat.rindex(')')]
            fields = stat[stat.rindex(')') + 2:].split()
            seen[(pid, tid)] = (name, int(fields[11]), int(fields[12]))
    time.sleep(0.05)
wall = time.time() - start
groups, user, system = collections.Counter(), collections.Counter(), collections.Counter()
for name, u, s in seen.values():
    name = re.sub(r'[0-9]+$', 'N', name)
    groups[name] += (u + s) / tick
    user[name] += u / tick
    system[name] += s / tick
total = sum(groups.values())
print(f'wall {wall:.2f} s, java threads {total:.2f} CPU-s (exit {child.returncode})', file=sys.stderr)
for name, s in groups.most_common():
    if s >= 0.01:
        print(f'  {s:7.2f} CPU-s  {100 * s / total:5.1f} %  (user {user[name]:.2f}, sys {system[name]:.2f})  {name}',
              file=sys.stderr)
sys.exit(child.returncode)
