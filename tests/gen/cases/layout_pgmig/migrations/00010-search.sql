CREATE TABLE search_log (q text);
