-- Audit frame of stg_doc_bands: the band keys as staged.
SELECT * FROM stg_doc_bands
