/** JMH microbenchmarks of Catchup's hot paths. Results go to {@code results/}, never to tests. */
package dev.catchup.bench;
