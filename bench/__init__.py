"""Benchmarks and the synthetic report corpora they run on (``bench.corpus``)."""
