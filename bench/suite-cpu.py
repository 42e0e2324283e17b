#!/usr/bin/env python3
"""Where the test suite's CPU goes, by kind of process (docs/testing.md, "How long it takes").

  suite-cpu.py sample CGROUP_DIR OUT   every 0.25 s, each process newly seen in the cgroup: pid, start time, comm and,
                                       for a JVM, what it runs (wal-j's subcommand, a test fork, S3Proxy)
  suite-cpu.py report DIR [HH:MM:SS]   BSD process accounting (DIR/pacct, DIR/procs.txt, DIR/start, DIR/end): CPU-s
                                       of every process in the run's tree, summed by kind; with a time (UTC),
                                       separately for the processes started before it and after it (the unit
                                       tests and the integration tests: the time the Failsafe forks started)

A process belongs to the run when the sampler saw it in the cgroup or its parent belongs (short-lived processes are
seen through their parents, which live long enough to be sampled). Accounting records the CPU of a process when it
exits, under the name of the thread that exited last, so JVMs are told apart by the sampler's view or their size.
"""
import collections
import datetime
import os
import subprocess
import sys
import time


def sample(cgroup, out):
    seen = set()
    with open(out, 'a') as f:
        while os.path.exists(os.path.join(cgroup, 'cgroup.procs')):
            try:
                pids = open(os.path.join(cgroup, 'cgroup.procs')).read().split()
            except OSError:
                break
            for p in pids:
                try:
                    stat = open('/proc/%s/stat' % p).read()
                    comm = stat[stat.index('(') + 1:stat.rindex(')')]
                    started = stat[stat.rindex(')') + 2:].split()[19]
                    if (p, started) in seen:
                        continue
                    seen.add((p, started))
                    what = ''
                    if comm == 'java':
                        argv = open('/proc/%s/cmdline' % p, 'rb').read().split(b'\0')
                        i = next((k for k, a in enumerate(argv) if a in (b'-jar', b'-cp', b'-classpath')), None)
                        rest = argv[i + 2:i + 4] if i is not None else argv[-3:]
                        what = ' ' + ' '.join(a.decode('utf-8', 'replace') for a in rest)[:200]
                    f.write('%s %s %s%s\n' % (p, started, comm, what))
                    f.flush()
                except (OSError, ValueError, IndexError):
                    continue
            time.sleep(0.25)


def records(d):
    out = subprocess.run(['dump-acct', os.path.join(d, 'pacct')], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = [x.strip() for x in line.split('|')]
        if len(f) < 15:
            continue
        start = datetime.datetime.strptime(f[14], '%a %b %d %H:%M:%S %Y').replace(
            tzinfo=datetime.timezone.utc).timestamp()
        # dump-acct prints times in clock ticks (100 per second)
        yield dict(comm=f[0], cpu=(float(f[2]) + float(f[3])) / 100, elapsed=float(f[4]) / 100, uid=int(f[5]),
                   mem=float(f[7]), pid=int(f[9]), ppid=int(f[10]), start=start, end=start + float(f[4]) / 100)


def kind(r):
    # the sampler may have seen a process between fork and exec, still showing its parent's command line: what the
    # accounting record says it was at its exit decides whether it was a JVM
    jvm = r['comm'] == 'java' or (r['mem'] > 1500000 and not r['comm'].startswith(
        ('postgres', 'swift', 'node', 'python', 'azurite', 'gpg', 'memcached')))
    seen = (r['seen'] or '').split()
    if not jvm:
        comm = r['comm']
        return 'postgres' if comm.startswith('postgres') else comm
    what = seen[1:] if seen[:1] == ['java'] else []
    if not what:
        return 'other JVM (%s)' % ('long: Maven, test forks' if r['elapsed'] > 120 else 'short')
    if 'surefire' in what[0]:
        return 'test JVM (Surefire/Failsafe fork)'
    if what[0].startswith('-Dclassworlds'):
        return 'Maven'
    if any('s3proxy' in w for w in what):
        return 'S3Proxy'
    return 'wal-j JVM: ' + ' '.join(what[:2] if what[0].startswith('org.') else what[:1])


def report(d, split=None):
    btime = int(next(l for l in open('/proc/stat') if l.startswith('btime')).split()[1])
    sampled = collections.defaultdict(list)
    for line in open(os.path.join(d, 'procs.txt')):
        p = line.rstrip('\n').split(' ', 2)
        if len(p) == 3:
            sampled[int(p[0])].append((btime + int(p[1]) / 100.0, p[2]))
    t0 = float(open(os.path.join(d, 'start')).read())
    t1 = float(open(os.path.join(d, 'end')).read())
    recs = [r for r in records(d) if t0 - 2 <= r['start'] <= t1 + 2]
    by_pid = collections.defaultdict(list)
    for r in recs:
        match = [c for t, c in sampled.get(r['pid'], []) if abs(t - r['start']) <= 2]
        r['seen'] = match[0] if match else None
        r['mine'] = bool(match)
        by_pid[r['pid']].append(r)
    changed = True
    while changed:
        changed = False
        for r in recs:
            if r['mine']:
                continue
            parents = [q for q in by_pid.get(r['ppid'], []) if q['start'] - 2 <= r['start'] <= q['end'] + 2]
            alive = not parents and any(t - 2 <= r['start'] for t, _ in sampled.get(r['ppid'], []))
            if alive or any(q['mine'] for q in parents):
                r['mine'] = changed = True
    mine = [r for r in recs if r['mine']]
    if split is None:
        summarize(mine, t0, t1)
        return
    day = time.strftime('%Y-%m-%d', time.gmtime(t0))
    at = datetime.datetime.strptime(day + ' ' + split, '%Y-%m-%d %H:%M:%S').replace(
        tzinfo=datetime.timezone.utc).timestamp()
    summarize([r for r in mine if r['start'] < at], t0, at)
    summarize([r for r in mine if r['start'] >= at], at, t1)


def summarize(recs, t0, t1):
    total = collections.Counter()
    count = collections.Counter()
    for r in recs:
        total[kind(r)] += r['cpu']
        count[kind(r)] += 1
    print('%.0f CPU-s in %d processes started from %s to %s UTC' % (sum(total.values()), sum(count.values()),
          time.strftime('%H:%M:%S', time.gmtime(t0)), time.strftime('%H:%M:%S', time.gmtime(t1))))
    for k, v in total.most_common(25):
        print('%8.1f CPU-s %6d  %s' % (v, count[k], k))


if __name__ == '__main__':
    if sys.argv[1:2] == ['sample']:
        sample(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ['report']:
        report(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        sys.exit(__doc__)
