-- Runs once, when the primary's data directory is created: the monitor's own user, with exactly the
-- grants monitor/README.md ("User and grants") lists for this flavor in heartbeat mode (the stack's
-- monitor writes the heartbeat row). Binlogged on purpose, as primary.sql: the replica gets the user
-- by replication. SamplesStackIT and scripts/demo.sh run this file on local servers too.
CREATE USER 'catchup_monitor'@'%' IDENTIFIED BY 'catchup_monitor';
GRANT REPLICATION SLAVE, BINLOG MONITOR, SLAVE MONITOR ON *.* TO 'catchup_monitor'@'%';
GRANT CREATE, INSERT, UPDATE, SELECT ON catchup_monitor.* TO 'catchup_monitor'@'%';
