#!/bin/bash
# Build and start the test cloud from nothing: stops an earlier run, wipes $STATE, starts
# MariaDB, RabbitMQ, Keystone, Placement, Glance, a Neutron stub, nova-api/-conductor/-scheduler
# and one nova-compute (fake driver) per host in $COMPUTES, then waits until they are mapped.
#   ./start.sh
#   COMPUTES="compute1 compute2" ./start.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# idempotent: stop whatever an earlier run left (by its recorded pids), then insist the ports are free
"$HERE/stop.sh" >/dev/null 2>&1 || true
# a failed start leaves nothing running (set -e ends the script at the first failing command)
trap 'log "start failed: stopping what was started"; "$HERE/stop.sh"' ERR
# The testbed's ports lie in the kernel's ephemeral range: an outgoing connection picking one of
# them as its source port would make a service's bind fail. Reserved, they are never picked.
grep -q '35000-39696' /proc/sys/net/ipv4/ip_local_reserved_ports \
  || sysctl -qw net.ipv4.ip_local_reserved_ports="$(sed 's/$/,/; s/^,//' /proc/sys/net/ipv4/ip_local_reserved_ports)35000-39696" || true
for p in $ALL_PORTS; do
  if port_open "$p"; then log "port $p is still in use (not by a process we recorded); giving up"; exit 1; fi
done
[ -s "$HERE/etc/nova-api-paste.ini" ] || { log "run install.sh first"; exit 1; }
T0=$(date +%s%N)   # start time measured from here: after the clean-up of an earlier run
rm -rf "$STATE"
mkdir -p "$STATE/secrets" && chmod 700 "$STATE/secrets"
# random passwords, kept in files (record-fixtures.ts reads secrets/admin)
for s in admin service; do head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$STATE/secrets/$s"; done
load_secrets
bash "$HERE/gen-configs.sh"
E="$STATE/etc"

# console-script wrappers, so ps shows real service names (python3-nova/-glance ship no /usr/bin scripts)
mkdir -p "$STATE/bin"
wrap() { printf '#!/usr/bin/python3\nimport sys\nfrom %s import main\nsys.exit(main())\n' "$2" > "$STATE/bin/$1"; chmod +x "$STATE/bin/$1"; }
wrap nova-api nova.cmd.api; wrap nova-conductor nova.cmd.conductor; wrap nova-scheduler nova.cmd.scheduler
wrap nova-compute nova.cmd.compute; wrap glance-api glance.cmd.api; wrap glance-manage glance.cmd.manage

# ---- 1. epmd + rabbitmq + mariadb (they boot while keystone's schema is written) ----
start_bg epmd epmd -address $IP -port "$EPMD_PORT"
start_bg rabbitmq bash -c ". '$HERE/lib.sh'; rabbit_env; exec /usr/lib/rabbitmq/bin/rabbitmq-server"
mariadb-install-db --no-defaults --datadir="$STATE/mysql/data" --user=root \
  --auth-root-authentication-method=socket --skip-test-db > "$STATE/log/mariadb-install.out" 2>&1
start_bg mariadb mariadbd --no-defaults --datadir="$STATE/mysql/data" --user=root \
  --socket="$STATE/mysql/mysqld.sock" --port="$MYSQL_PORT" --bind-address=$IP \
  --pid-file="$STATE/mysql/mysqld.pid" --log-error="$STATE/log/mariadb.err" \
  --skip-name-resolve --max-connections=1000 --innodb-buffer-pool-size=128M \
  --innodb-flush-log-at-trx-commit=2 --character-set-server=utf8mb4 --skip-log-bin

# ---- 2. keystone (bootstrap password from the environment, not argv) ----
KM=(keystone-manage --config-file "$E/keystone.conf")
{ "${KM[@]}" db_sync
  "${KM[@]}" fernet_setup --keystone-user root --keystone-group root
  "${KM[@]}" credential_setup --keystone-user root --keystone-group root
  OS_BOOTSTRAP_PASSWORD="$ADMIN_PASS" "${KM[@]}" bootstrap \
    --bootstrap-admin-url "http://$IP:$KS_PORT/v3/" --bootstrap-internal-url "http://$IP:$KS_PORT/v3/" \
    --bootstrap-public-url "http://$IP:$KS_PORT/v3/" --bootstrap-region-id RegionOne
} > "$STATE/log/keystone-manage.out" 2>&1
wal "$STATE/keystone.sqlite"
OS_KEYSTONE_CONFIG_DIR="$E" start_bg keystone "$PY" "$HERE/wsgi_run.py" keystone "$KS_PORT"

# ---- 3. DB schemas of the others (while keystone boots) ----
placement-manage --config-file "$E/placement.conf" db sync > "$STATE/log/placement-manage.out" 2>&1
"$STATE/bin/glance-manage" --config-file "$E/glance-api.conf" db_sync > "$STATE/log/glance-manage.out" 2>&1
wal "$STATE/placement.sqlite"; wal "$STATE/glance.sqlite"
wait_port "$MYSQL_PORT" 60
mysql_root <<EOSQL
CREATE USER 'nova'@'127.0.0.1' IDENTIFIED BY '$SERVICE_PASS';
CREATE DATABASE nova_api; CREATE DATABASE nova; CREATE DATABASE nova_cell0;
GRANT ALL ON nova_api.* TO 'nova'@'127.0.0.1'; GRANT ALL ON nova.* TO 'nova'@'127.0.0.1';
GRANT ALL ON nova_cell0.* TO 'nova'@'127.0.0.1';
EOSQL
{ nova_manage api_db sync
  nova_manage cell_v2 map_cell0 --database_connection "mysql+pymysql://nova:$SERVICE_PASS@$IP:$MYSQL_PORT/nova_cell0?charset=utf8"
  nova_manage cell_v2 create_cell --name cell1
  nova_manage db sync
} > "$STATE/log/nova-manage.out" 2>&1
log "db schemas done"

# ---- 4. the API services and the computes ----
OS_PLACEMENT_CONFIG_DIR="$E" start_bg placement "$PY" "$HERE/wsgi_run.py" placement "$PLACEMENT_PORT"
start_bg neutron-stub "$PY" "$HERE/neutron_stub.py" "$NEUTRON_PORT"
start_bg glance-api "$STATE/bin/glance-api" --config-file "$E/glance-api.conf"
wait_port "$KS_PORT"
"$PY" "$HERE/bootstrap.py" keystone
wait_port "$AMQP_PORT" 180
start_bg nova-api "$STATE/bin/nova-api" --config-file "$E/nova.conf" --log-file "$STATE/log/nova-api.log"
start_bg nova-conductor "$STATE/bin/nova-conductor" --config-file "$E/nova.conf" --log-file "$STATE/log/nova-conductor.log"
start_bg nova-scheduler "$STATE/bin/nova-scheduler" --config-file "$E/nova.conf" --log-file "$STATE/log/nova-scheduler.log"
for h in $COMPUTES; do bash "$HERE/compute.sh" start "$h"; done
# the Neutron stub too: its port sits in the ephemeral range, where an outgoing connection can hold
# it (bind fails, the stub exits, and Nova then answers 500 on every server call)
wait_port "$PLACEMENT_PORT"; wait_port "$GLANCE_PORT"; wait_port "$NOVA_PORT"; wait_port "$NEUTRON_PORT" 10

# ---- 5. wait for the computes to report, map them into cell1, wait for their hypervisors ----
n=$(wc -w <<< "$COMPUTES")
"$PY" "$HERE/bootstrap.py" wait-computes "$n"
nova_manage cell_v2 discover_hosts --verbose >> "$STATE/log/nova-manage.out" 2>&1
"$PY" "$HERE/bootstrap.py" wait-hypervisors "$n"
"$PY" "$HERE/bootstrap.py" seed $COMPUTES   # quotas, tagged/untagged images, flavors, an aggregate
ms=$(( ($(date +%s%N) - T0) / 1000000 ))
printf 'ALL UP in %d.%01d s\n' $((ms/1000)) $(( (ms%1000)/100 )) | tee "$STATE/startup-time.txt"
