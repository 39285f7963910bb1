"""Documents: a raw unit → a cleaned document with its fields, or a reject with a reason
(``newsetl.extractors.documents``): ``build`` per format, ``plaintext`` and ``html`` cleaning."""
