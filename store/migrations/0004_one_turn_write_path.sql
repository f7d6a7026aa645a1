-- A turn is written by ONE function, `apply_turn` in store/_writer.py. The view
-- and trigger of 0003 wrote the same rules a second time in SQL, with no test
-- that the two agreed; the group committer now runs every turn of a batch
-- through `apply_turn`, each in its own SAVEPOINT.
DROP TRIGGER turn_writes_insert;
DROP VIEW turn_writes;
