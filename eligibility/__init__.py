"""Relais's eligibility service: OpenFisca-France with fresh, sourced parameters, behind HTTP.

Start it with ``python -m eligibility``; see docs/eligibility.md.
"""
