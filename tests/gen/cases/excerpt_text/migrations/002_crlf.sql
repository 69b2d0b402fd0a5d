-- CR LF line endings (setup adds them): the CR is not shown.
DROP TABLE gone_too;
