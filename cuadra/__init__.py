"""Cuadra: an ERP and accounting backend whose books always balance, provably."""

__version__ = "0.1.0"
