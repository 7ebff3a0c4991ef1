# redmine-api-guard: the two commands are `make run` and `make test`.
SHELL := /bin/bash
REDMINE_TARGETS ?= 5.0 6.0 6.1
.DEFAULT_GOAL := help
PROTO := proto/redmine/apiguard/v1/api_guard.proto

.PHONY: help deps proto build run stop test test-unit test-integration test-e2e test-redmine bench clean

help:
	@echo "make run    install what is missing, start MariaDB, Redmine with the plugin and the sidecar, seed a demo"
	@echo "make test   install what is missing and run every test"
	@echo "make stop   stop the demo started by make run"
	@echo "make proto  regenerate the TypeScript and Ruby gRPC code from proto/"
	@echo "make bench  measure the authorization path (bench/results/latest.md)"

deps:
	@bash scripts/install.sh

# Generated code is committed; test/unit/generated-code.test.ts fails when stale.
proto: deps
	@bash scripts/proto.sh src/generated redmine_plugin/generated

build: deps
	@npx tsc -p tsconfig.build.json

run: build
	@bash scripts/run-demo.sh

stop:
	@bash scripts/sidecar.sh stop demo; bash scripts/redmine.sh stop demo; echo 'demo stopped (its database apiguard_demo is kept)'

# REDMINE_TARGETS="5.0 6.0 6.1" (default) narrows the end-to-end suite.
test: build
	@REDMINE_TARGETS="$(REDMINE_TARGETS)" bash scripts/test-all.sh

test-unit: build
	@npx jest --selectProjects unit

test-integration: build
	@bash scripts/test-all.sh integration

test-e2e: build
	@REDMINE_TARGETS="$(REDMINE_TARGETS)" bash scripts/test-all.sh e2e

test-redmine: build
	@bash scripts/test-all.sh redmine

# Benchmarks (issue 4): results in bench/results/latest.{md,json}. Not part of make test.
bench: build
	@bash bench/run.sh

clean:
	rm -rf dist dist-bench
