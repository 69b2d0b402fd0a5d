CREATE INDEX orders_placed_by_customers_of_the_enterprise_plan_during_trial_period_idx
    ON orders (placed_by);
