UPDATE ticket SET state = 'pending' WHERE state = 'open';
