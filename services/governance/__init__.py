"""Governance service.

Bodies and meetings, master plans, project portfolio, workload plan, reports, GDPR registers.
"""
