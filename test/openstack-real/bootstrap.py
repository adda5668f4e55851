"""Post-start set-up of the test cloud, through the REST APIs (keystoneauth1, from Debian).
    bootstrap.py keystone          service project/role/users, services + endpoints (idempotent)
    bootstrap.py wait-computes N   until N nova-compute services are up
    bootstrap.py wait-hypervisors N
    bootstrap.py seed HOST...      unlimited admin quota; the images, flavors and aggregate of seed.json
Passwords come from the environment (ADMIN_PASS, SERVICE_PASS), never argv.
"""
import json
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
GLANCE = {"service_type": "image", "interface": "public"}


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
    print("%d computes up" % n)


def wait_hypervisors(n):
    wait_for("%d hypervisors" % n,
             lambda: len(s.get("/os-hypervisors", endpoint_filter=NOVA).json()["hypervisors"]) >= n, 60)
    print("%d hypervisors mapped" % n)


def seed(hosts):
    """Idempotent: each object is looked up by name first, so seeding a seeded cloud changes nothing."""
    pid = s.get_project_id()
    # the default quota (10 instances / 20 cores) is too small for bigger tests
    s.put("/os-quota-sets/%s" % pid, endpoint_filter=NOVA,
          json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    if E.get("IHAA_OS_SEED") == "0":  # record-fixtures.ts wants a cloud without them
        return print("quota lifted; seeding skipped (IHAA_OS_SEED=0)")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "seed.json")) as f:
        want = json.load(f)
    for img in want["images"]:
        if s.get("/v2/images?name=%s" % img["name"], endpoint_filter=GLANCE).json()["images"]:
            continue
        new = s.post("/v2/images", endpoint_filter=GLANCE, json={
            "name": img["name"], "tags": img["tags"], "disk_format": "raw", "container_format": "bare",
            "visibility": "public"}).json()
        # the fake driver never reads the data, but Nova only boots from an active image (one with data)
        s.put("/v2/images/%s/file" % new["id"], endpoint_filter=GLANCE, data=b"\0" * 65536,
              headers={"Content-Type": "application/octet-stream"})
    have = {f["name"] for f in s.get("/flavors/detail?is_public=None", endpoint_filter=NOVA).json()["flavors"]}
    for fl in want["flavors"]:
        if fl["name"] in have:
            continue
        new = s.post("/flavors", endpoint_filter=NOVA, json={"flavor": {
            "name": fl["name"], "ram": 64, "vcpus": 1, "disk": 1,
            "os-flavor-access:is_public": fl["is_public"]}}).json()["flavor"]
        if fl["extra_specs"]:
            s.post("/flavors/%s/os-extra_specs" % new["id"], endpoint_filter=NOVA, json={"extra_specs": fl["extra_specs"]})
        if not fl["is_public"]:  # a private flavor the admin project may use: is_public=None must list it
            s.post("/flavors/%s/action" % new["id"], endpoint_filter=NOVA, json={"addTenantAccess": {"tenant": pid}})
    a = want["aggregate"]
    found = [x for x in s.get("/os-aggregates", endpoint_filter=NOVA).json()["aggregates"] if x["name"] == a["name"]]
    agg = found[0] if found else s.post("/os-aggregates", endpoint_filter=NOVA,
                                        json={"aggregate": {"name": a["name"]}}).json()["aggregate"]
    act = "/os-aggregates/%s/action" % agg["id"]
    for h in hosts:
        if h not in agg.get("hosts", []):
            s.post(act, endpoint_filter=NOVA, json={"add_host": {"host": h}})
    s.post(act, endpoint_filter=NOVA, json={"set_metadata": {"metadata": a["metadata"]}})
    print("seeded: %d images, %d flavors, aggregate %s on %s" % (
        len(want["images"]), len(want["flavors"]), a["name"], " ".join(hosts)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "keystone":
        keystone()
    elif cmd == "wait-computes":
        wait_computes(int(sys.argv[2]))
    elif cmd == "wait-hypervisors":
        wait_hypervisors(int(sys.argv[2]))
    elif cmd == "seed":
        seed(sys.argv[2:])
    else:
        sys.exit(__doc__)
