"""Entities: a text → PER/ORG/LOC mentions with nominative normal forms and resolution keys, and
acronym definitions (``newsetl.extractors.entities``). ``analyze`` runs Natasha in bounded windows;
``spans``, ``norm``, ``persons``, ``syntax``, ``acronyms`` repair and normalise; ``resolve`` and
``corpus`` merge keys across the corpus; ``known_acronyms`` and ``name_endings`` are rules as data."""
