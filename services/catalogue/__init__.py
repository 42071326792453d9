"""Catalogue service.

Service catalogue, IS components, cost lines, drivers and usage, inventory ingestion.
"""
