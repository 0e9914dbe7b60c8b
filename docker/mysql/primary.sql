-- Runs once, when the primary's data directory is created. Binlogged on purpose: the replica gets
-- this user by replication, so it must not create it itself (that would clash and stop the applier).
-- The monitor needs REPLICATION SLAVE/CLIENT, the sample creates the shop schema.
CREATE USER 'catchup'@'%' IDENTIFIED BY 'catchup';
GRANT ALL PRIVILEGES ON *.* TO 'catchup'@'%';
