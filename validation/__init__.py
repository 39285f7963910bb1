"""Validation (``newsetl.validation``): ``audit`` runs the write-audit-publish audit of a run's staged
rows (quarantine or hold back); ``runner`` runs the Great Expectations suites of
``newsetl.schemas.suites`` over DataFrames and keeps the Data Docs site."""
