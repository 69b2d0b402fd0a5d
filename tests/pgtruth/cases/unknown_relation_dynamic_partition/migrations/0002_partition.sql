SELECT create_partition('2024-01-01');
