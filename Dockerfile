# syntax=docker/dockerfile:1
# Build: the Maven wrapper on a JDK 21 image (the toolchain selector finds this JDK via JAVA_HOME).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/gridserve-*.jar /gridserve.jar

# Run: JRE only, non-root, data (H2 files and the Lucene index) on a volume.
FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 --home-dir /app gridserve && mkdir -p /app/data && chown -R gridserve /app
WORKDIR /app
COPY --from=build /gridserve.jar /app/gridserve.jar
USER gridserve
ENV PORT=8000 DATA_DIR=/app/data JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
VOLUME ["/app/data"]
# 8000: the API and UI; 8081: metrics and Prometheus (MANAGEMENT_PORT), for your monitoring only
EXPOSE 8000 8081
# Ready = reads can be answered (also through a database outage); only the status line counts.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/1\\.[01] 200 '"]
# Lucene's vectorised code needs the incubating vector module, its native I/O advice native access: without
# these two flags both are off (and the log says so)
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/gridserve.jar"]
