# Vigil: the two commands of the README's quick start, and a few helpers.
# Every target that needs the system packages or the Python venv installs them first
# (scripts/setup.sh, idempotent and quick when everything is present).

SWIFT ?= swift
export PATH := /opt/swift/usr/bin:$(PATH)
# CI's bar: no warnings, and every import backed by a declared target dependency. Build and
# test take the same flags, or the second step would recompile everything.
STRICT := -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error

.PHONY: setup build run test bench clean image image-test

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

## Run Vigil on the example checks in manifests/conf.d (Ctrl-C stops it); its API is on
## 127.0.0.1:9717 (/status, /readyz, /healthz).
run: build
	$(SWIFT) run vigil validate manifests/conf.d
	$(SWIFT) run vigil run --conf-dir manifests/conf.d --checks-dir manifests/checks.d

## Build warning-free and run the whole test suite, then check that the build without the
## Python trait still builds and passes its own tests, then build the container image and
## test it with podman (skipped, saying why, unless root with podman, runc and debootstrap).
test: setup
	$(SWIFT) test $(STRICT)
	$(SWIFT) test --disable-default-traits --scratch-path .build-notraits --filter RuntimeTests
	contrib/image/test.sh

## Benchmarks (release build); results go in BENCHMARKS.md.
bench: setup
	$(SWIFT) build -c release --product vigil-bench
	$(SWIFT) build -c release --product vigil
	.build/release/vigil-bench config --files 10000 --repeats 5 --python .venv/bin/python
	.build/release/vigil-bench watch-latency --writes 1000 --debounced-writes 300
	.build/release/vigil-bench watch-idle --directories 10000 --seconds 60
	.build/release/vigil-bench exec-cost --runs 1000
	.build/release/vigil-bench reconcile-pass --files 10000 --edits 200
	.build/release/vigil-bench edit-latency --edits 200
	.build/release/vigil-bench cold-start --files 10000 --repeats 3
	.build/release/vigil-bench idle-cpu --instances 1000 --seconds 60
	.build/release/vigil-bench python-run --runs 20000 --rounds 5
	.build/release/vigil-bench python-throughput --gauges 10000 --runs 50 --rounds 5
	.build/release/vigil-bench python-rss --instances 200

## Container image localhost/vigil:dev from a debootstrap'ed Debian 12 rootfs, no registry
## (contrib/image/; the rootfs is cached in .build-image/). Needs root.
image: setup
	contrib/image/build.sh

## Builds the image, runs it with podman and checks health, ConfigMap swaps, zombies and
## SIGTERM (contrib/image/test.sh); skipped with a message unless root (it runs the setup
## itself, after that check) with podman, runc and debootstrap.
image-test:
	contrib/image/test.sh

clean:
	rm -rf .build
