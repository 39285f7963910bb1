-- Named events per month and kind; events dated only by year have month NULL.
SELECT year, month, kind, n_events, array_to_string(names, '; ') AS names
FROM v_events_by_month;
