-- Runs once, when the primary's data directory is created. Binlogged on purpose: the replica gets
-- this user by replication, so it must not create it itself (that would clash and stop the applier).
-- The sample services log in as this user and create the shop schema; the replica replicates as it.
-- The monitor has its own user with only the grants it needs (monitor-user.sql).
CREATE USER 'catchup'@'%' IDENTIFIED BY 'catchup';
GRANT ALL PRIVILEGES ON *.* TO 'catchup'@'%';
