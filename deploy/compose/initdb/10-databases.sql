-- One database per service on the single PostgreSQL of a one-host installation, all owned by
-- the role of POSTGRES_USER (see compose.yaml). Run once, by the postgres image, on first start.
CREATE DATABASE registry;
CREATE DATABASE catalogue;
CREATE DATABASE billing;
CREATE DATABASE governance;
CREATE DATABASE gateway;
