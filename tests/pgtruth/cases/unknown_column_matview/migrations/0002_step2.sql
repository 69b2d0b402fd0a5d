CREATE MATERIALIZED VIEW account_plans AS SELECT id, plans FROM account;
