/** The orders service as a Spring Boot application. */
package dev.catchup.samples.spring.orders;
