"""Post-start set-up of the test cloud, through the REST APIs (keystoneauth1, from Debian).
    bootstrap.py keystone          service project/role/users, services + endpoints (idempotent)
    bootstrap.py wait-computes N   until N nova-compute services are up; unlimited admin quota
    bootstrap.py wait-hypervisors N
Passwords come from the environment (ADMIN_PASS, SERVICE_PASS), never argv.
"""
import os
import sys
import time

from keystoneauth1 import session
from keystoneauth1.identity import v3

E = os.environ
IP = "127.0.0.1"
KS = "http://%s:%s/v3" % (IP, E["KS_PORT"])
auth = v3.Password(auth_url=KS, username="admin", password=E["ADMIN_PASS"], project_name="admin",
                   user_domain_name="Default", project_domain_name="Default")
s = session.Session(auth=auth, timeout=30)
NOVA = {"service_type": "compute", "interface": "public"}


def get(path, key, **params):
    return s.get(KS + path, params=params).json()[key]


def ensure(path, key, body, **match):
    found = get(path, key, **match)
    if found:
        return found[0]
    return s.post(KS + path, json={key[:-1]: body}).json()[key[:-1]]


def keystone():
    domain_id = get("/domains", "domains", name="Default")[0]["id"]
    proj = ensure("/projects", "projects", {"name": "service", "domain_id": domain_id}, name="service")
    admin_role = get("/roles", "roles", name="admin")[0]
    service_role = ensure("/roles", "roles", {"name": "service"}, name="service")
    for user in ("nova", "placement", "glance", "neutron"):
        u = ensure("/users", "users", {"name": user, "password": E["SERVICE_PASS"], "domain_id": domain_id},
                   name=user)
        for r in (admin_role, service_role):
            s.put(KS + "/projects/%s/users/%s/roles/%s" % (proj["id"], u["id"], r["id"]))
    services = {
        "nova": ("compute", "http://%s:%s/v2.1" % (IP, E["NOVA_PORT"])),
        "placement": ("placement", "http://%s:%s" % (IP, E["PLACEMENT_PORT"])),
        "glance": ("image", "http://%s:%s" % (IP, E["GLANCE_PORT"])),
        "neutron": ("network", "http://%s:%s" % (IP, E["NEUTRON_PORT"])),
    }
    for name, (stype, url) in services.items():
        svc = ensure("/services", "services", {"name": name, "type": stype, "enabled": True}, type=stype)
        for iface in ("public", "internal", "admin"):
            ensure("/endpoints", "endpoints", {"service_id": svc["id"], "interface": iface, "url": url,
                                               "region_id": "RegionOne", "enabled": True},
                   service_id=svc["id"], interface=iface)
    print("keystone bootstrap done")


def wait_for(what, check, timeout=180):
    t0 = time.time()
    while time.time() - t0 < timeout:
        try:
            if check():
                return
        except Exception:  # nova-api may still be starting
            pass
        time.sleep(1)
    sys.exit("timeout waiting for %s" % what)


def wait_computes(n):
    def up():
        svcs = s.get("/os-services?binary=nova-compute", endpoint_filter=NOVA).json()["services"]
        return sum(x["state"] == "up" for x in svcs) >= n
    wait_for("%d computes up" % n, up)
    # the default quota (10 instances / 20 cores) is too small for bigger tests
    pid = s.get_project_id()
    s.put("/os-quota-sets/%s" % pid, endpoint_filter=NOVA,
          json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    print("%d computes up" % n)


def wait_hypervisors(n):
    wait_for("%d hypervisors" % n,
             lambda: len(s.get("/os-hypervisors", endpoint_filter=NOVA).json()["hypervisors"]) >= n, 60)
    print("%d hypervisors mapped" % n)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "keystone":
        keystone()
    elif cmd == "wait-computes":
        wait_computes(int(sys.argv[2]))
    elif cmd == "wait-hypervisors":
        wait_hypervisors(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
