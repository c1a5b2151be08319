-- The timeline's answers (the history, the totals and breakdowns as of a date) are kept by each replica until the
-- timeline changes (TimelineAnswers): every open dashboard asks for them again after each change, and the history alone
-- cost the database about 20 ms a request, a 304 included. Each statement that writes what they read counts one
-- change here, in the writer's transaction, so that a replica sees a change when it is committed, whichever replica
-- (or replay, or operator) made it. Writers of the timeline already take their turns (V28; a replay's end runs alone).
CREATE TABLE timeline_changes (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    changes  bigint  NOT NULL
);
INSERT INTO timeline_changes (changes) VALUES (0);

CREATE FUNCTION timeline_changes_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE timeline_changes SET changes = changes + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER timeline_changes_of_periods AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON scope_period
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_changes_count();
CREATE TRIGGER timeline_changes_of_spans AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON scope_country_span
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_changes_count();
