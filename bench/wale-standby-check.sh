#!/bin/bash
# Interop check, run by hand where a `wal-e` command is on PATH (WAL-E is never part of this repository): a wal-j backup taken on a hot standby, listed and restored by WAL-E, recovered with WAL-E's wal-fetch.
set -euo pipefail
B=/usr/lib/postgresql/15/bin; W=$(cd "$(dirname "$0")/.." && pwd)/packaging/wal-j; S=$(mktemp -d /tmp/wale-standby.XXXX)
WALE=$(command -v wal-e) || { echo "no wal-e on PATH" >&2; exit 1; }
trap 'for d in restore standby primary; do [ -d $S/$d ] && as $B/pg_ctl -D $S/$d -m immediate stop >/dev/null 2>&1; done; true' EXIT
mkdir -p $S/arch/wal_005; chown -R postgres $S; chmod 755 $S
as() { runuser -u postgres -- env WALE_FILE_PREFIX=file://localhost$S/arch "$@"; }
as $B/initdb -D $S/primary -A trust >/dev/null
cat >> $S/primary/postgresql.conf <<C
port=5601
unix_socket_directories='$S'
listen_addresses=''
wal_level=replica
archive_mode=on
archive_command='WALE_FILE_PREFIX=file://localhost$S/arch $W wal-push %p'
archive_timeout=5
C
echo "local replication all trust" >> $S/primary/pg_hba.conf
as $B/pg_ctl -D $S/primary -l $S/primary.log -w start >/dev/null
as $B/pgbench -h $S -p 5601 -i -s 5 postgres >/dev/null 2>&1
as $B/pg_basebackup -h $S -p 5601 -D $S/standby -R -X stream
sed -i 's/^port=5601/port=5602/' $S/standby/postgresql.conf
as $B/pg_ctl -D $S/standby -l $S/standby.log -w start >/dev/null
as $B/pgbench -h $S -p 5601 -T 40 -c 2 postgres > $S/pgbench.log 2>&1 &
LOAD=$!
sleep 3
as env PGHOST=$S PGPORT=5602 WALJ_PRIMARY_PGHOST=$S WALJ_PRIMARY_PGPORT=5601 $W backup-push --start-fast $S/standby 2>&1 | grep -E "MSG" | tail -5
wait $LOAD
as $B/psql -h $S -p 5601 -qAtc "create table marker as select now() t, sum(abalance) s, count(*) c from pgbench_accounts; select pg_switch_wal();" postgres >/dev/null
as $B/psql -h $S -p 5601 -qAtc "select s, c from marker" postgres > $S/expected
sleep 8
echo "--- WAL-E backup-list:"; as $WALE backup-list 2>/dev/null
as $WALE backup-fetch $S/restore LATEST 2>&1 | grep -E "MSG" | tail -3
cp $S/primary/postgresql.conf $S/restore/; cp $S/primary/pg_hba.conf $S/restore/
sed -i 's/^port=5601/port=5603/; s/^archive_mode=on/archive_mode=off/' $S/restore/postgresql.conf
ls $S/restore | tr '\n' ' '; echo
echo "restore_command='WALE_FILE_PREFIX=file://localhost$S/arch $WALE wal-fetch %f %p'" >> $S/restore/postgresql.conf
as touch $S/restore/recovery.signal
chown -R postgres $S/restore; chmod 700 $S/restore
as $B/pg_ctl -D $S/restore -l $S/restore.log -w -t 300 start >/dev/null
for i in $(seq 120); do [ "$(as $B/psql -h $S -p 5603 -qAtc 'select pg_is_in_recovery()' postgres)" = f ] && break; sleep 1; done
as $B/psql -h $S -p 5603 -qAtc "select s, c from marker" postgres > $S/got
echo "expected $(cat $S/expected) got $(cat $S/got)"; cmp $S/expected $S/got && echo SAME
as $B/psql -h $S -p 5603 -qAtc "select count(*), sum(abalance) from pgbench_accounts" postgres
as $B/psql -h $S -p 5601 -qAtc "select count(*), sum(abalance) from pgbench_accounts" postgres
grep -E "restored log file|consistent recovery|archive recovery complete|primary_conninfo" $S/restore.log | head -3; grep -c "restored log file" $S/restore.log
for d in restore standby primary; do as $B/pg_ctl -D $S/$d -m fast stop >/dev/null || true; done
