# The two commands of the quick start. Each installs what is missing, then runs.
.PHONY: demo test bench setup-demo setup-test setup-bench

demo: setup-demo
	.venv/bin/casescan demo demo-workspace

test: setup-test
	.venv/bin/python -m pytest -n 2 -q

bench: setup-bench
	.venv/bin/python -m benchmarks

setup-demo:
	@scripts/setup.sh demo

setup-test:
	@scripts/setup.sh test

setup-bench:
	@scripts/setup.sh bench
