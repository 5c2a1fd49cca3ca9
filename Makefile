# Vigil: the two commands of the README's quick start, and a few helpers.
# Every target that needs the system packages or the Python venv installs them first
# (scripts/setup.sh, idempotent and quick when everything is present).

SWIFT ?= swift
export PATH := /opt/swift/usr/bin:$(PATH)

.PHONY: setup build run test bench clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

## Run Vigil on the example checks in manifests/conf.d.
run: build
	$(SWIFT) run vigil validate manifests/conf.d

## Build warning-free and run the whole test suite.
test: setup
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	$(SWIFT) test

## Benchmarks (release build); results go in BENCHMARKS.md.
bench: setup
	$(SWIFT) run -c release vigil-bench config --python .venv/bin/python

clean:
	rm -rf .build
