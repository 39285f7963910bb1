-- Staged documents plus the computed columns their expectation suite checks. $1 = now (UTC).
SELECT
    d.*,
    coalesce(d.published_at > $1, false) AS published_at_in_future
FROM stg_documents AS d
