ALTER TABLE {{ index .Options "Namespace" }}.users ADD COLUMN ip text;
