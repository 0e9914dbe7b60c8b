-- Runs once, when the primary's data directory is created. Binlogged on purpose: the replica gets
-- this user by replication, so it must not create it itself (that would clash and stop the applier).
CREATE USER 'catchup'@'%' IDENTIFIED BY 'catchup';
GRANT ALL PRIVILEGES ON *.* TO 'catchup'@'%';
