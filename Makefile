# ovpn-agent: build, test, bench, demo, install.
MVN ?= mvn -B -q
PREFIX ?= /usr/local

.PHONY: deps build test unit-test integration-test bench demo install clean

deps:
	@scripts/install-deps.sh

build: deps
	$(MVN) package -DskipTests

## Every test: unit and scenario tests (Maven), then end-to-end scenarios in network namespaces.
test: deps
	mvn -B -ntp verify
	integration-tests/run-all.sh

unit-test:
	$(MVN) test

integration-test: build
	integration-tests/run-all.sh

## Benchmarks: measure and print figures and ratios (no assertions).
bench: build
	bench/run.sh

demo: build
	integration-tests/demo.sh

install: build
	getent group ovpn-agent >/dev/null || groupadd --system ovpn-agent
	install -d $(DESTDIR)$(PREFIX)/lib/ovpn-agent/lib $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/ovpn-agent/hooks
	install -m 0644 target/ovpn-agent.jar $(DESTDIR)$(PREFIX)/lib/ovpn-agent/
	install -m 0644 target/lib/*.jar $(DESTDIR)$(PREFIX)/lib/ovpn-agent/lib/
	install -m 0755 bin/ovpn-agent $(DESTDIR)$(PREFIX)/bin/ovpn-agent
	for h in hooks/*; do install -m 0755 $$h $(DESTDIR)$(PREFIX)/lib/ovpn-agent/hooks/; done

clean:
	$(MVN) clean
