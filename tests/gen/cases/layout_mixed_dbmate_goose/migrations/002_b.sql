-- +goose Up
CREATE TABLE b (id int);
