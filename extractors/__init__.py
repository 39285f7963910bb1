"""Stages 1–3 of the pipeline, as pure functions (no database): ``newsetl.extractors``.

sources → documents → records:

* ``sources/``   paths → raw input units (files, JSONL lines, WARC records), decoding, limits;
* ``documents/`` a unit → a cleaned :class:`~newsetl.schemas.records.Document` (text, HTML, JSONL, WARC);
* ``entities/``  a text → entity mentions and acronyms with nominative normal forms; corpus-level resolution;
* ``facts/``     a text and its mentions → structure, interview turns, events, dates, occupations, attributions;
* ``stories/``   a text → near-duplicate fingerprints; documents → story clusters;
* ``places/``    place names → GeoNames links;
* ``models.py``  every NLP model, loaded once per process;
* ``batch.py``   one unit → its document and record rows by table; ``workers.py`` runs batches in processes.

The folder is mapped to the import path ``newsetl.extractors`` by pyproject's package-dir.
"""
