-- The saved method each shopper prefers, per Voucherly environment (method ids differ between
-- sandbox and live). Kept by the app, not by Voucherly: it is preselected in every pay form.
CREATE TABLE preferred_methods (
    shopper_id INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    environment TEXT NOT NULL,
    method_id  TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (shopper_id, environment)
) STRICT;
