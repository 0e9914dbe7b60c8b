# Catchup sample shop image: the orders and billing services (CATCHUP_SAMPLE_SERVICE picks one)
# and the demo driver. Build context: the repository root (the compose files set it):
#   docker build -f docker/sample.Dockerfile -t catchup-sample .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -pl samples -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 catchup
COPY --from=build /src/samples/target/catchup-samples.jar /opt/catchup/catchup-samples.jar
USER catchup
EXPOSE 8080
ENV CATCHUP_SAMPLE_BIND=0.0.0.0 CATCHUP_SAMPLE_PORT=8080
HEALTHCHECK --interval=2s --timeout=2s --retries=30 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "/opt/catchup/catchup-samples.jar"]
CMD ["dev.catchup.samples.shop.ShopService"]
