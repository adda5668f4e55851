#!/bin/bash
# PID 1 of a simulated compute host. SIGKILL from outside = power cord pulled.
NODE=$1 NODEDIR=$2 ADDR=$3 REMOTED=$4
hostname "$NODE"
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/resource-agents /run/lock /run/pacemaker
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount --bind "$NODEDIR/var-lib-pacemaker" /var/lib/pacemaker
mount --bind "$NODEDIR/var-log-pacemaker" /var/log/pacemaker
mount --bind "$NODEDIR/etc-pacemaker" /etc/pacemaker
export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none PCMK_remote_address="$ADDR"
stop=0 rpid=
trap 'stop=1; [ -n "$rpid" ] && kill -TERM "$rpid" 2>/dev/null' TERM INT
while [ "$stop" = 0 ]; do
    "$REMOTED" >> /var/log/pacemaker/remoted.stdout 2>&1 &
    rpid=$!
    while kill -0 "$rpid" 2>/dev/null; do wait "$rpid"; done
    [ "$stop" = 1 ] && break
    sleep 0.1   # like systemd's Restart=on-failure
done
