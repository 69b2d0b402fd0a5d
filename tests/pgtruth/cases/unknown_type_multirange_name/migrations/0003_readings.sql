CREATE TABLE readings (spans floatrange_multirange);
