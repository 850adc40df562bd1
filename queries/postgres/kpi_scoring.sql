-- LockChildForScoring takes the child's row lock for the rest of the
-- scorer's transaction (app/answers/score.go): every write to a child
-- updates its row first, so a write either commits before the scorer reads
-- or waits until the scorer's job is marked done (and then queues another).

-- name: LockChildForScoring :one
SELECT version FROM children WHERE id = @id FOR UPDATE;
