CREATE TABLE {{ index .Options "Namespace" }}.users (id uuid);
