OMNI := ./scripts/omni

.PHONY: setup demo test odoo-tests bench conformance

setup:  ## find Odoo 18.0, or install the official one into .odoo/ and .venv/
	$(OMNI) setup

demo:  ## Odoo on http://localhost:8069 with Omni and its demo data
	$(OMNI) demo

test:  ## every test of the add-ons and of tests/, plus ruff and pylint-odoo
	$(OMNI) test

odoo-tests:  ## Odoo's own suites of the flows Omni extends, with Omni installed
	$(OMNI) odoo-tests

bench:  ## benchmarks of tests/bench, JSON on standard output
	$(OMNI) bench

conformance:  ## carrier requests against their published documents ($$OMNI_CARRIER_SPECS)
	python3 -m pytest -m conformance -q -p no:cacheprovider
