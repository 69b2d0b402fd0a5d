-- migc:lock-timeout 5s
ALTER TABLE prices
    ADD COLUMN "montant_demandé_après_remise_commerciale_et_escompte_total_réglé" numeric,
    ADD COLUMN "montant_demandé_après_remise_commerciale_et_escompte_total_réduit" numeric;
