# Catchup monitor image. Build context: the repository root (the compose files set it):
#   docker build -f docker/monitor.Dockerfile -t catchup-monitor .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -pl monitor -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 catchup
COPY --from=build /src/monitor/target/catchup-monitor.jar /opt/catchup/catchup-monitor.jar
USER catchup
EXPOSE 9760
# Inside a container the API must listen beyond loopback; keep the port on a private network. The
# monitor refuses a non-loopback bind without a token: set http.token (or CATCHUP_MONITOR_HTTP_TOKEN),
# or accept an open API explicitly with http.allowUnauthenticated (the compose demo does).
ENV CATCHUP_MONITOR_HTTP_BIND=0.0.0.0
# The image's health is /livez, "the process serves HTTP", not /readyz or /health: engines that act
# on health (Swarm replaces an unhealthy task) would otherwise restart the monitor whenever a
# database is down, which cannot help and loses what it knows. Whoever must wait until it tracks
# its servers checks /readyz (the compose files override this check for their start order).
HEALTHCHECK --interval=2s --timeout=2s --retries=30 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9760 && printf 'GET /livez HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/opt/catchup/catchup-monitor.jar"]
CMD ["--config", "/etc/catchup/monitor.yaml"]
