"""Sources: the paths a user names → the raw input units to read (``newsetl.extractors.sources``).

``discovery`` expands files, folders and globs; ``files`` streams units (a file, a JSONL line, a WARC
record) with their exact bytes; ``warc``, ``streams``, ``limits``, ``names``, ``decoding`` and
``accounting`` hold the format, size, naming, encoding and counting rules.
"""
