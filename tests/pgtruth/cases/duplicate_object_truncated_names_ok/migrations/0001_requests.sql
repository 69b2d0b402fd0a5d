CREATE TABLE subscription_plan_change_requests_awaiting_review_by_the_billing_team (
    id serial PRIMARY KEY,
    requested_by bigint NOT NULL,
    "montant_demandé_après_remise_commerciale_et_escompte_total_réglé" numeric
);
CREATE INDEX ON subscription_plan_change_requests_awaiting_review_by_the_billing_team (requested_by);
CREATE TABLE subscription_plan_change_requests_approved_by_the_billing_team_lead (id serial PRIMARY KEY);
CREATE TABLE créneaux_de_réservation_des_salles_de_réunion_partagées (id serial PRIMARY KEY);
