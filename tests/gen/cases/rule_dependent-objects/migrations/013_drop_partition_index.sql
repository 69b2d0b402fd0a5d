DROP INDEX event_2024_kind_idx;
