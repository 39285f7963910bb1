"""The contract between stages (``newsetl.schemas``): the record models (``records``, ``facts``,
``analysis``), the one registry of record tables (``tables``), deterministic keys (``keys``) and the
Great Expectations suites that guard every load (``suites``)."""
