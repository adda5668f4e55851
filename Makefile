# make install DESTDIR=... : the shipped layout, from build/sea (node scripts/build-sea.ts).
# The binary is installed as is: never strip it (a stripped SEA binary crashes). The agents
# are small launchers (packaging/launcher) that answer metadata from build-time XML.
# The programs, their man pages and the launcher's metadata case come from agents/registry.ts,
# through build/sea/programs.mk and build/sea/agent.sh.in (scripts/packaging-lists.ts).
PREFIX      ?= /usr
LIBDIR      ?= $(PREFIX)/lib/instance-ha-agents
OCFDIR      ?= $(PREFIX)/lib/ocf/resource.d/openstack
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DOCDIR      ?= $(PREFIX)/share/doc/instance-ha-agents
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SEA         := build/sea/instance-ha-agents

include build/sea/programs.mk

.PHONY: install
install: $(SEA)
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(OCFDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	  $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(SEA) $(DESTDIR)$(LIBDIR)/instance-ha-agents
	install -d $(DESTDIR)$(LIBDIR)/metadata
	install -m 0644 build/sea/metadata/*.xml $(DESTDIR)$(LIBDIR)/metadata/
	sed 's|@LIBDIR@|$(LIBDIR)|' build/sea/agent.sh.in > build/sea/agent.sh
	for f in $(LAUNCHERS); do install -m 0755 build/sea/agent.sh $(DESTDIR)$$f || exit 1; done
	for f in $(LINKS); do ln -sf $(LIBDIR)/instance-ha-agents $(DESTDIR)$$f || exit 1; done
	for p in $(MANPAGES); do d=$(DESTDIR)$(MANDIR)/man$${p##*.}; \
	  install -d $$d && gzip -9n < man/$$p > $$d/$$p.gz || exit 1; done
	for c in $(COMPLETIONS); do install -D -m 0644 packaging/completion/$$c $(DESTDIR)$(COMPLETIONDIR)/$$c || exit 1; done
	install -m 0644 README.md docs/migration.md docs/operations.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 packaging/config/* $(DESTDIR)$(DOCDIR)/examples/

$(SEA) build/sea/programs.mk:
	node scripts/build-sea.ts
