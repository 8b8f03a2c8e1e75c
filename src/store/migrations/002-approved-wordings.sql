-- Other wordings of an approved answer's question, attached by coordinators (a JSON array of
-- strings); matched like the question itself.
ALTER TABLE approved_answers ADD COLUMN wordings text NOT NULL DEFAULT '[]';
