"""Registry service.

Members (adhérents), conventions, contacts, workstation counts and budget calendars.
"""
