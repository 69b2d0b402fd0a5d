DROP TABLE after_base;
