# Container image of the operator. Build it from the repository root after `mvn -B -q install -DskipTests`:
#   docker build -t ghcr.io/apikey-operator/apikey-operator:0.1.0 .
# (Base images cannot be pulled on the project's CI machines, so CI does not build the image.)
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY operator/target/apikey-operator.jar /app/apikey-operator.jar
# AppCDS (BENCHMARKS.md "Start-up"): a training run starts the operator without a cluster (StartupTraining answers
# its requests itself, on loopback: empty lists, quiet watches; nothing leaves the build) and the JVM writes the
# classes it loaded into an archive at exit; the operator's start maps them
# in instead of reading, parsing and verifying them from the jar. The archive is valid only for this JVM and this jar
# at this path (its size and time are checked), so it is made here, in the same stage, with the run-time flags.
RUN java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ArchiveClassesAtExit=/app/apikey-operator.jsa \
        -cp /app/apikey-operator.jar dev.apikeyoperator.StartupTraining > /dev/null 2>&1 \
    && test -s /app/apikey-operator.jsa
# Non-root, read-only root filesystem friendly (only /tmp is written, mounted as an emptyDir by the chart).
USER 65532:65532
EXPOSE 8080
# The chart sets the same flags through JAVA_TOOL_OPTIONS; they are repeated here for `docker run`. A JVM that cannot
# use the archive (another image, another jar) starts without it (-Xshare:auto).
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:MaxRAMPercentage=75 -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps -XX:NewRatio=4 -XX:+ExitOnOutOfMemoryError -XX:SharedArchiveFile=/app/apikey-operator.jsa -Xshare:auto"
ENTRYPOINT ["java", "-jar", "/app/apikey-operator.jar"]
