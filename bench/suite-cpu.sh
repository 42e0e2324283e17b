#!/usr/bin/env bash
# Runs `./mvnw -B verify ARGS...` in a cgroup of its own with BSD process accounting on, as root, and reports the
# CPU-s of everything it started by kind of process (bench/suite-cpu.py; docs/testing.md, "How long it takes").
#
#   bench/suite-cpu.sh OUTDIR [maven arguments...]     needs `acct` (Debian: apt-get install acct)
#
# Writes OUTDIR/mvn.log, OUTDIR/pacct, OUTDIR/procs.txt, the cgroup's CPU-s (OUTDIR/cgroup-cpu-s), the load average
# at the start and the end, and the report (OUTDIR/report.txt). Accounting is switched off at the end.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [maven arguments...]" >&2; exit 2; }
out=$(mkdir -p "$1" && cd "$1" && pwd); shift
here=$(cd "$(dirname "$0")/.." && pwd)
command -v accton >/dev/null && command -v dump-acct >/dev/null || { echo "install acct" >&2; exit 3; }
name=walj-suite-cpu-$$
if [ -d /sys/fs/cgroup/cpuacct ]; then
  cg=/sys/fs/cgroup/cpuacct/$name; usage() { echo $(( $(cat "$cg/cpuacct.usage") / 1000000 )); }
else
  cg=/sys/fs/cgroup/$name; usage() { echo $(( $(awk '/^usage_usec/ {print $2}' "$cg/cpu.stat") / 1000 )); }
fi
mkdir "$cg"
trap 'accton off >/dev/null 2>&1 || true; kill "$sampler" 2>/dev/null || true' EXIT
: >"$out/pacct"; : >"$out/procs.txt"
accton "$out/pacct" >/dev/null
python3 "$here/bench/suite-cpu.py" sample "$cg" "$out/procs.txt" &
sampler=$!
uptime >"$out/uptime-start"; date +%s >"$out/start"
status=0
(echo $BASHPID >"$cg/cgroup.procs"; cd "$here" && exec ./mvnw -B verify "$@") >"$out/mvn.log" 2>&1 || status=$?
date +%s >"$out/end"; uptime >"$out/uptime-end"
echo "scale=1; $(usage) / 1000" | bc >"$out/cgroup-cpu-s"
accton off >/dev/null
kill "$sampler" 2>/dev/null || true
python3 "$here/bench/suite-cpu.py" report "$out" | tee "$out/report.txt"
echo "cgroup: $(cat "$out/cgroup-cpu-s") CPU-s; maven exit status $status; load $(cut -d, -f3- "$out/uptime-start") -> $(cut -d, -f3- "$out/uptime-end")"
rmdir "$cg" 2>/dev/null || true
exit $status
