-- Staged documents plus the computed columns their expectation suite checks. $1 = now (UTC).
-- published_at is UTC when the source gave an offset and local time otherwise, so "future" allows
-- the widest UTC offset (+14 h) before it calls a date impossible.
SELECT
    d.*,
    coalesce(d.published_at > $1 + INTERVAL 14 HOUR, false) AS published_at_in_future
FROM stg_documents AS d
