#!/bin/bash
# Writes every config file into $STATE/etc (called by start.sh after the secrets exist).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
load_secrets
mkdir -p "$STATE"/{etc,log,pids,keystone/fernet-keys,keystone/credential-keys,glance/images,glance/staging,glance/tasks,nova/instances,nova/lock,rabbitmq/mnesia,rabbitmq/log,mysql}
chmod 700 "$STATE/keystone/fernet-keys" "$STATE/keystone/credential-keys" "$STATE/etc"
E="$STATE/etc"
umask 077   # the files below hold passwords

cat > "$E/keystone.conf" <<EOC
[DEFAULT]
log_file = $STATE/log/keystone.log
[database]
connection = sqlite:///$STATE/keystone.sqlite?check_same_thread=false
[token]
provider = fernet
[fernet_tokens]
key_repository = $STATE/keystone/fernet-keys
[credential]
key_repository = $STATE/keystone/credential-keys
EOC

# keystone_authtoken / service-credential block; service users are created by bootstrap.py
authblock() { # authblock USER
cat <<EOC
auth_type = password
auth_url = http://$IP:$KS_PORT/v3
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $SERVICE_PASS
region_name = RegionOne
EOC
}

cat > "$E/placement.conf" <<EOC
[DEFAULT]
log_file = $STATE/log/placement.log
[api]
auth_strategy = keystone
[placement_database]
connection = sqlite:///$STATE/placement.sqlite?check_same_thread=false
[keystone_authtoken]
www_authenticate_uri = http://$IP:$KS_PORT/v3
$(authblock placement)
EOC

cat > "$E/glance-api.conf" <<EOC
[DEFAULT]
bind_host = $IP
bind_port = $GLANCE_PORT
workers = 1
log_file = $STATE/log/glance-api.log
enabled_backends = fs:file
[database]
connection = sqlite:///$STATE/glance.sqlite
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks/
[paste_deploy]
flavor = keystone
config_file = $HERE/etc/glance-api-paste.ini
[keystone_authtoken]
www_authenticate_uri = http://$IP:$KS_PORT/v3
$(authblock glance)
[oslo_policy]
enforce_new_defaults = false
EOC

# Nova on MariaDB: on SQLite it fails under concurrent load ("database is locked").
DB="mysql+pymysql://nova:$SERVICE_PASS@$IP:$MYSQL_PORT"
cat > "$E/nova.conf" <<EOC
[DEFAULT]
transport_url = rabbit://guest:guest@$IP:$AMQP_PORT/
my_ip = $IP
host = controller
state_path = $STATE/nova
instances_path = $STATE/nova/instances
compute_driver = fake.FakeDriver
enabled_apis = osapi_compute
osapi_compute_listen = $IP
osapi_compute_listen_port = $NOVA_PORT
osapi_compute_workers = 1
metadata_listen = $IP
metadata_workers = 1
# fake driver: keep periodic noise low
heal_instance_info_cache_interval = -1
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $HERE/etc/nova-api-paste.ini
[api_database]
connection = $DB/nova_api?charset=utf8
[database]
connection = $DB/nova?charset=utf8
[conductor]
workers = 1
[scheduler]
workers = 1
# start.sh runs discover_hosts once
discover_hosts_in_cells_interval = -1
[keystone_authtoken]
www_authenticate_uri = http://$IP:$KS_PORT/v3
$(authblock nova)
[placement]
$(authblock nova)
valid_interfaces = public
[glance]
$(authblock nova)
valid_interfaces = public
[neutron]
$(authblock nova)
valid_interfaces = public
[cinder]
os_region_name = RegionOne
[service_user]
send_service_user_token = false
[oslo_concurrency]
lock_path = $STATE/nova/lock
[vnc]
enabled = false
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOC

# computes: same file minus the DB sections (with them nova-compute logs
# "No DB access allowed in nova-compute" tracebacks)
awk '/^\[/{skip=($0=="[api_database]"||$0=="[database]")} !skip' "$E/nova.conf" > "$E/nova-compute.conf"
# one extra file per compute: only the host name differs
for h in $COMPUTES; do printf '[DEFAULT]\nhost = %s\n' "$h" > "$E/nova-$h.conf"; done

umask 022
echo '[].' > "$STATE/rabbitmq/enabled_plugins"
: > "$STATE/rabbitmq/rabbitmq-env.conf"
cat > "$STATE/rabbitmq/rabbitmq.conf" <<EOC
listeners.tcp.1 = $IP:$AMQP_PORT
loopback_users.guest = true
log.file.level = warning
EOC
( umask 077; head -c 20 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$STATE/rabbitmq/.erlang.cookie" )
chmod 400 "$STATE/rabbitmq/.erlang.cookie"
log "configs written to $E"
