-- A QA review's detail from the QA tool (issue 3): the interaction reviewed, the form, and the
-- form's item scores as the canonical file writes them (`greeting=10;empathy=8.5`, NULL for
-- none). Explanation only: the review's `score` is what the QA KPI counts. Old rows have none.
ALTER TABLE qa_reviews ADD COLUMN interaction_id TEXT;
ALTER TABLE qa_reviews ADD COLUMN form TEXT;
ALTER TABLE qa_reviews ADD COLUMN item_scores TEXT;
