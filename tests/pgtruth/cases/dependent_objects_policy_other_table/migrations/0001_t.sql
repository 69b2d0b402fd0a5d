CREATE SCHEMA auth;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;
CREATE TABLE teams (id uuid PRIMARY KEY, name text);
CREATE TABLE members (team_id uuid REFERENCES teams, user_id uuid, role text);
CREATE TABLE docs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, team_id uuid, title text,
    slug text GENERATED ALWAYS AS (lower(replace(title, ' ', '-'))) STORED);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_member ON docs FOR SELECT USING (
    EXISTS (SELECT 1 FROM members m WHERE m.team_id = docs.team_id AND m.user_id = (SELECT auth.uid()))
);
CREATE POLICY docs_owner ON docs FOR UPDATE USING (team_id IN (SELECT team_id FROM members WHERE role = 'owner'))
    WITH CHECK (title <> '');
CREATE INDEX docs_title_lower ON docs (lower(title)) WHERE slug IS NOT NULL;
CREATE MATERIALIZED VIEW team_doc_counts AS
    SELECT t.id AS team, t.name, count(d.*) AS docs FROM teams t LEFT JOIN docs d ON d.team_id = t.id GROUP BY t.id, t.name;
CREATE VIEW team_names AS SELECT name, upper(name) FROM teams;
