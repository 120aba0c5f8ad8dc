"""GDPR tooling shared by the apps: a person's data export, anonymisation after retention, access logs.

Each app describes its own data in `<app>/privacy.py` (exporters and anonymisers); this package only
orchestrates, logs and shows (see docs/privacy.md).
"""
