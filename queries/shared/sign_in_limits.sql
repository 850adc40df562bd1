-- Sign-in limits (app/auth): counted in the database so every app instance
-- on it sees the same counts.

-- EnsureThrottle makes the key's row exist, for CountThrottleFailure.
-- name: EnsureThrottle :exec
INSERT INTO sign_in_throttle (key, failures, window_start, locked_until)
VALUES (@key, 0, @now, NULL)
ON CONFLICT (key) DO NOTHING;

-- CountThrottleFailure adds one to key's count in one statement, so
-- instances racing on the same key never lose a failure (each UPDATE reads
-- the row the other wrote). The count starts again once its window has
-- passed (window_start before @window_floor); a sliding window (@sliding)
-- restarts with every failure, so it ends only after a quiet spell.
-- name: CountThrottleFailure :one
UPDATE sign_in_throttle SET
    failures = CASE WHEN window_start < @window_floor THEN 1 ELSE failures + 1 END,
    window_start = CASE WHEN window_start < @window_floor OR CAST(@sliding AS BOOLEAN) THEN @now ELSE window_start END,
    locked_until = CASE WHEN window_start < @window_floor THEN NULL ELSE locked_until END
WHERE key = @key
RETURNING *;

-- LockThrottle locks a key until @locked_until and starts its count again.
-- name: LockThrottle :exec
UPDATE sign_in_throttle SET locked_until = @locked_until, failures = 0, window_start = @now WHERE key = @key;

-- SignedInFrom reports whether the user completed a sign-in, or set a
-- password from an emailed link, from this address since @since: such a
-- client is the user's own and is spared the account-wide slow-down.
-- name: SignedInFrom :one
SELECT CAST(EXISTS (SELECT 1 FROM sign_in_events
    WHERE user_id = @user_id AND ip = @ip AND event IN ('signed_in', 'password_set') AND occurred_at > @since) AS BOOLEAN) AS known;

-- DelayThrottle sets when a slowed key may next be tried, keeping its count.
-- name: DelayThrottle :exec
UPDATE sign_in_throttle SET locked_until = @locked_until WHERE key = @key;

-- DeleteStaleThrottles removes counts whose window (a day at most) has
-- passed and that hold no lock: they count as nothing already. Made-up
-- emails would otherwise leave rows behind for ever.
-- name: DeleteStaleThrottles :execrows
DELETE FROM sign_in_throttle WHERE window_start < @before AND (locked_until IS NULL OR locked_until <= @now);
