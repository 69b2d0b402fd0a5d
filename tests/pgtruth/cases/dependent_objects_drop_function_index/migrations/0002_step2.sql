DROP FUNCTION f(integer);
