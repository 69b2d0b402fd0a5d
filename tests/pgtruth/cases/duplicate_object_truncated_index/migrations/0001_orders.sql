CREATE TABLE orders (id int, placed_by bigint);
CREATE TABLE orders_placed_by_customers_of_the_enterprise_plan_during_trial_period (id int);
