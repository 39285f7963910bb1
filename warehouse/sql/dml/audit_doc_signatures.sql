-- Audit frame of stg_doc_signatures: a signature is empty (no words) or has {num_perm} values.
SELECT * EXCLUDE (signature, word_signature),
       len(signature) IN (0, {num_perm}) AND len(word_signature) IN (0, {num_perm}) AS signature_length_ok
FROM stg_doc_signatures
