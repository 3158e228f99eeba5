-- Login attempts per account within the current window, over every client address and every Api instance.
-- The key is a SHA-256 of the normalized email as typed, whether an account has it or not: the table neither tells
-- which emails have accounts nor keeps what people typed (sometimes a password, in the wrong field).
CREATE TABLE login_throttle (
    account      bytea PRIMARY KEY,
    window_start timestamptz NOT NULL,
    attempts     integer NOT NULL
);

CREATE INDEX login_throttle_window_start ON login_throttle (window_start);
