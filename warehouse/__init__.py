"""The warehouse stage (``newsetl.warehouse``): every SQL statement and the DDL (``sql/``).

``db`` opens the DuckDB file; ``runs`` keeps the run history; ``classify`` decides each unit's
outcome; ``stage`` writes a batch to ``stg_*``; ``entities``, ``stories`` and ``places`` derive
corpus-wide tables; ``audit`` hands staged rows to validation and quarantines failures; ``publish``
makes a run visible in one transaction; ``search`` keeps the BM25 index; ``queries``, ``report``
and ``export`` serve readers.
"""
