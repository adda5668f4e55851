#!/bin/bash
# Prints the Pacemaker configuration of Instance-HA for N compute nodes, as `pcs` commands or as
# `crm configure` input. The end-to-end suite applies the same output.
#   COMPUTES="compute-0 compute-1" BMC_compute_0="127.0.0.1:6230" ... instance-ha-config.sh pcs|crm
# Variables (defaults in brackets):
#   COMPUTES           pacemaker_remote compute node names (required)
#   BMC_<node>         ip:port of its IPMI BMC ('-' and '.' in the name become '_')
#   IPMI_USER [admin]  IPMI_PASSWORD (required; store it with cibsecret afterwards)
#   AUTH_URL USERNAME PASSWORD TENANT [admin] USER_DOMAIN [Default] PROJECT_DOMAIN [Default]
#   DOMAIN             DNS domain of the Nova hosts (optional)   HOST_MAP (optional)
#   ENDPOINT_TYPE [internalURL]  EXTRA_NOVA_PARAMS (e.g. "insecure=0 cacert=/etc/pki/ca.pem")
set -euo pipefail
mode=${1:?usage: $0 pcs|crm}
: "${COMPUTES:?COMPUTES is required}" "${IPMI_PASSWORD:?}" "${AUTH_URL:?}" "${USERNAME:?}" "${PASSWORD:?}"
IPMI_USER=${IPMI_USER:-admin} TENANT=${TENANT:-admin} USER_DOMAIN=${USER_DOMAIN:-Default}
PROJECT_DOMAIN=${PROJECT_DOMAIN:-Default} ENDPOINT_TYPE=${ENDPOINT_TYPE:-internalURL}
nova="auth_url=$AUTH_URL username=$USERNAME password=$PASSWORD tenant_name=$TENANT user_domain=$USER_DOMAIN project_domain=$PROJECT_DOMAIN endpoint_type=$ENDPOINT_TYPE${DOMAIN:+ domain=$DOMAIN}${HOST_MAP:+ host_map=$HOST_MAP}${EXTRA_NOVA_PARAMS:+ $EXTRA_NOVA_PARAMS}"
bmc() { local v="BMC_${1//[-.]/_}"; echo "${!v:?$v is required}"; }
list=${COMPUTES// /,}

if [ "$mode" = pcs ]; then
    for c in $COMPUTES; do
        b=$(bmc "$c")
        echo "pcs stonith create ipmi-$c fence_ipmilan ip=${b%:*} ipport=${b#*:} username=$IPMI_USER password=$IPMI_PASSWORD lanplus=1 cipher=3 pcmk_host_list=$c op monitor interval=60s"
        echo "pcs constraint location ipmi-$c rule score=-INFINITY '#kind' eq remote"
    done
    # pcmk_on_timeout above fence_compute's unfence_wait (30 s): unfencing waits that long for the
    # evacuation, then fails and is retried (a longer wait would hold up every other recovery).
    # pcmk_action_limit=-1 and concurrent-fencing: a long unfencing wait must not hold up the
    # fencing of other hosts, and hosts failing together are fenced (and evacuated) together.
    echo "pcs stonith create fence-nova fence_compute $nova pcmk_host_list=$list pcmk_off_timeout=90s pcmk_on_timeout=100s pcmk_action_limit=-1 op monitor interval=60s meta provides=unfencing"
    echo "pcs constraint location fence-nova rule score=-INFINITY '#kind' eq remote"
    for c in $COMPUTES; do echo "pcs stonith level add 1 $c ipmi-$c,fence-nova"; done
    echo "pcs resource create nova-evacuate ocf:openstack:NovaEvacuate $nova op start timeout=20s op stop timeout=30s op monitor interval=10s timeout=20s"
    echo "pcs constraint location nova-evacuate rule score=-INFINITY '#kind' eq remote"
    echo "pcs resource create compute-unfence-trigger ocf:openstack:compute-unfence-trigger op start timeout=600s op stop timeout=20s on-fail=block op monitor interval=10s meta requires=unfencing failure-timeout=60s clone interleave=true"
    # resource-discovery=never: probing it on a controller would need that controller unfenced.
    echo "pcs constraint location compute-unfence-trigger-clone rule resource-discovery=never score=-INFINITY '#kind' ne remote"
    echo "pcs constraint order start compute-unfence-trigger-clone then start nova-compute-clone"
    # Only the trigger requires unfencing (a device that provides unfencing otherwise makes it
    # the default for every resource, and nothing can unfence the controllers).
    echo "pcs resource defaults update requires=fencing"
    # A failed fencing level (e.g. Nova unreachable for fence_compute) is retried at once, up to
    # stonith-max-attempts times (~4 s each in our testbed): 60 rides out ~4 minutes of a Nova outage.
    echo "pcs property set stonith-enabled=true concurrent-fencing=true stonith-max-attempts=60"
elif [ "$mode" = crm ]; then
    for c in $COMPUTES; do
        b=$(bmc "$c")
        echo "primitive ipmi-$c stonith:fence_ipmilan params ip=${b%:*} ipport=${b#*:} username=$IPMI_USER password=$IPMI_PASSWORD lanplus=1 cipher=3 pcmk_host_list=$c op monitor interval=60s"
        echo "location ipmi-$c-off-computes ipmi-$c rule -inf: #kind eq remote"
    done
    echo "primitive fence-nova stonith:fence_compute params $nova pcmk_host_list=\"$COMPUTES\" pcmk_off_timeout=90s pcmk_on_timeout=100s pcmk_action_limit=-1 op monitor interval=60s meta provides=unfencing"
    echo "location fence-nova-off-computes fence-nova rule -inf: #kind eq remote"
    echo -n "fencing_topology"; for c in $COMPUTES; do echo -n " $c: ipmi-$c,fence-nova"; done; echo
    echo "primitive nova-evacuate ocf:openstack:NovaEvacuate params $nova op start timeout=20s op stop timeout=30s op monitor interval=10s timeout=20s"
    echo "location nova-evacuate-off-computes nova-evacuate rule -inf: #kind eq remote"
    echo "primitive compute-unfence-trigger ocf:openstack:compute-unfence-trigger op start timeout=600s op stop timeout=20s on-fail=block op monitor interval=10s meta requires=unfencing failure-timeout=60s"
    echo "clone compute-unfence-trigger-clone compute-unfence-trigger meta interleave=true"
    echo "location compute-unfence-trigger-on-computes compute-unfence-trigger-clone resource-discovery=never rule -inf: #kind ne remote"
    echo "order nova-compute-after-unfence Mandatory: compute-unfence-trigger-clone nova-compute-clone"
    echo "rsc_defaults requires=fencing"
    # A failed fencing level (e.g. Nova unreachable for fence_compute) is retried at once, up to
    # stonith-max-attempts times (~4 s each in our testbed): 60 rides out ~4 minutes of a Nova outage.
    echo "property stonith-enabled=true concurrent-fencing=true stonith-max-attempts=60"
else
    echo "usage: $0 pcs|crm" >&2; exit 2
fi
