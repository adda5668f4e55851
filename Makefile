# make install DESTDIR=... : the shipped layout, from build/sea (node scripts/build-sea.ts).
# The binary is installed as is: never strip it (a stripped SEA binary crashes). The agents
# are small launchers (packaging/launcher) that answer metadata from build-time XML.
PREFIX      ?= /usr
LIBDIR      ?= $(PREFIX)/lib/instance-ha-agents
OCFDIR      ?= $(PREFIX)/lib/ocf/resource.d/openstack
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/instance-ha-agents
SEA         := build/sea/instance-ha-agents

.PHONY: install
install: $(SEA)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(OCFDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(SEA) $(DESTDIR)$(LIBDIR)/instance-ha-agents
	install -d $(DESTDIR)$(LIBDIR)/metadata
	install -m 0644 build/sea/metadata/*.xml $(DESTDIR)$(LIBDIR)/metadata/
	sed 's|@LIBDIR@|$(LIBDIR)|' packaging/launcher/agent.sh.in > build/sea/agent.sh
	install -m 0755 build/sea/agent.sh $(DESTDIR)$(SBINDIR)/fence_compute
	install -m 0755 build/sea/agent.sh $(DESTDIR)$(OCFDIR)/NovaEvacuate
	install -m 0755 build/sea/agent.sh $(DESTDIR)$(OCFDIR)/compute-unfence-trigger
	ln -sf $(LIBDIR)/instance-ha-agents $(DESTDIR)$(BINDIR)/instance-ha
	gzip -9n < man/fence_compute.8 > $(DESTDIR)$(MANDIR)/man8/fence_compute.8.gz
	for p in ocf_openstack_NovaEvacuate ocf_openstack_compute-unfence-trigger; do \
	  gzip -9n < man/$$p.7 > $(DESTDIR)$(MANDIR)/man7/$$p.7.gz; done
	install -m 0644 README.md docs/migration.md docs/operations.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 packaging/config/* $(DESTDIR)$(DOCDIR)/examples/

$(SEA):
	node scripts/build-sea.ts
