-- Sign-in limits (app/auth): counted in the database so every app instance
-- on it sees the same counts.

-- EnsureThrottle makes the key's row exist, for CountThrottleFailure.
-- name: EnsureThrottle :exec
INSERT INTO sign_in_throttle (key, failures, window_start, locked_until)
VALUES (@key, 0, @now, NULL)
ON CONFLICT (key) DO NOTHING;

-- CountThrottleFailureParams count one failure at Now, which is never nil.

-- CountThrottleFailure adds one to key's count in one statement, so
-- instances racing on the same key never lose a failure (each UPDATE reads
-- the row the other wrote). The count starts again once its window has
-- passed (window_start before @window_floor), or once a lock on it is over;
-- a sliding window (@sliding) restarts with every failure, so it ends only
-- after a quiet spell, and its locked_until (when the next try may come)
-- never restarts it.
-- name: CountThrottleFailure :one
UPDATE sign_in_throttle SET
    failures = CASE WHEN window_start < @window_floor
        OR (NOT CAST(@sliding AS BOOLEAN) AND locked_until IS NOT NULL AND locked_until <= @now)
        THEN 1 ELSE failures + 1 END,
    window_start = CASE WHEN window_start < @window_floor OR CAST(@sliding AS BOOLEAN)
        OR (locked_until IS NOT NULL AND locked_until <= @now)
        THEN @now ELSE window_start END,
    locked_until = CASE WHEN window_start < @window_floor
        OR (NOT CAST(@sliding AS BOOLEAN) AND locked_until IS NOT NULL AND locked_until <= @now)
        THEN NULL ELSE locked_until END
WHERE key = @key
RETURNING *;

-- SignedInFrom reports whether the user completed a sign-in, or set a
-- password from an emailed link, from this address since @since: such a
-- client is the user's own and is spared the account-wide slow-down.
-- name: SignedInFrom :one
SELECT CAST(EXISTS (SELECT 1 FROM sign_in_events
    WHERE user_id = @user_id AND ip = @ip AND event IN ('signed_in', 'password_set') AND occurred_at > @since) AS BOOLEAN) AS known;

-- DelayThrottle locks a key, or sets when a slowed key may next be tried,
-- keeping its count (CountThrottleFailure restarts it when a lock is over).
-- name: DelayThrottle :exec
UPDATE sign_in_throttle SET locked_until = @locked_until WHERE key = @key;

-- DeleteStaleThrottles removes counts whose window (a day at most) has
-- passed and that hold no lock: they count as nothing already. Made-up
-- emails would otherwise leave rows behind for ever.
-- name: DeleteStaleThrottles :execrows
DELETE FROM sign_in_throttle WHERE window_start < @before AND (locked_until IS NULL OR locked_until <= @now);

-- UncountThrottle takes back an attempt counted in advance that succeeded.
-- name: UncountThrottle :exec
UPDATE sign_in_throttle SET failures = failures - 1 WHERE key = @key AND failures > 0;

-- ClaimThrottleSlot lets one attempt through a slowed key: it affects a
-- row (1) only if the key is not held, and holds it until @locked_until.
-- name: ClaimThrottleSlot :execrows
UPDATE sign_in_throttle SET locked_until = @locked_until
WHERE key = @key AND (locked_until IS NULL OR locked_until <= @now);
