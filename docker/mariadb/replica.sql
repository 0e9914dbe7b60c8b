-- Runs once, when the replica's data directory is created: replicate from the primary by GTID,
-- applying each transaction one second after its commit on the primary.
CHANGE MASTER TO MASTER_HOST = 'primary', MASTER_PORT = 3306,
  MASTER_USER = 'catchup', MASTER_PASSWORD = 'catchup',
  MASTER_USE_GTID = slave_pos, MASTER_DELAY = 1, MASTER_CONNECT_RETRY = 2;
START SLAVE;
