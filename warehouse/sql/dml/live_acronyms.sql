-- Every acronym definition as the warehouse will hold it after this run publishes.
SELECT * FROM stg_live_acronyms
