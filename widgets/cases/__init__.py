"""Synthetic case data: its columns (schema), the generator, validation on load, queries and charts.

Everything here describes invented cases. Nothing in this package reads, stores or accepts data about real
people: validation refuses any file that looks as if it holds personal data.
"""
