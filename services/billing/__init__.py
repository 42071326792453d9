"""Billing service.

Fiscal years, billing runs, allocation, cap, and revenue titles (titres de recettes).
"""
