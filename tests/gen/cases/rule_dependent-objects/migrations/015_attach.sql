-- event_2025 lacks the CHECK kind_set
ALTER TABLE event ATTACH PARTITION event_2025
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
