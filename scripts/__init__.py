"""The Makefile's drivers (kill matrix, benchmarks, spec lint) and the helpers they share with the tests."""
