-- migc:lock-timeout 5s
ALTER TABLE subscription_plan_change_requests_awaiting_review_by_the_billin
    ADD CONSTRAINT plan_change_requests_requested_by_is_a_known_user_of_this_account_check
        CHECK (requested_by > 0) NOT VALID,
    ADD CONSTRAINT plan_change_requests_requested_by_is_a_known_user_of_this_account_or_admin
        CHECK (requested_by <> 0) NOT VALID;
