-- A withdrawn cluster stays on the roster with the date it left; it no longer counts from that date on.
ALTER TABLE cluster ADD COLUMN withdrawn_on date;
ALTER TABLE cluster ADD COLUMN withdrawal_reason varchar(500);
