-- A schema-qualified table goes where it says, whatever the search_path
-- (fleet.sh): one shared row per tenant schema that applied this.
CREATE TABLE IF NOT EXISTS public.fleet_shared (tenant text PRIMARY KEY);
INSERT INTO public.fleet_shared (tenant) VALUES (current_schema());
