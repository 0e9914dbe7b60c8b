-- Runs once, when the replica's data directory is created: replicate from the primary by GTID
-- auto-positioning, applying each transaction one second after its commit on the primary.
CHANGE REPLICATION SOURCE TO SOURCE_HOST = 'primary', SOURCE_PORT = 3306,
  SOURCE_USER = 'catchup', SOURCE_PASSWORD = 'catchup', GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_AUTO_POSITION = 1, SOURCE_DELAY = 1, SOURCE_CONNECT_RETRY = 2;
START REPLICA;
