-- Rate-limit counters, shared by every instance on this database: one row per bucket (what is
-- limited and for whom), counting hits in the current fixed window.
CREATE TABLE rate_limits (
    bucket       TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
) STRICT;
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);
