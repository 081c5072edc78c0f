# Container image of the operator. Build it from the repository root after `mvn -B -q install -DskipTests`:
#   docker build -t ghcr.io/apikey-operator/apikey-operator:0.1.0 .
# (Base images cannot be pulled on the project's CI machines, so CI does not build the image.)
FROM eclipse-temurin:17-jre AS cds
WORKDIR /app
COPY operator/target/apikey-operator.jar /app/apikey-operator.jar
# AppCDS: record the classes loaded while parsing the command line into an archive that the real start maps in.
RUN java -XX:ArchiveClassesAtExit=/app/apikey-operator.jsa -jar /app/apikey-operator.jar --help > /dev/null

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=cds /app/apikey-operator.jar /app/apikey-operator.jsa /app/
# Non-root, read-only root filesystem friendly (only /tmp is written, mounted as an emptyDir by the chart).
USER 65532:65532
EXPOSE 8080
# The chart sets the same flags through JAVA_TOOL_OPTIONS; they are repeated here for `docker run`.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/apikey-operator.jsa -Xshare:auto"
ENTRYPOINT ["java", "-jar", "/app/apikey-operator.jar"]
