package dev.apikeyoperator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chart's jvmOptions name the AppCDS archive the container image carries ({@code -XX:SharedArchiveFile=/app/...},
 * written at image build time by the Dockerfile's training run). Outside the image that file does not exist, and a
 * JVM pointed at a missing archive runs without even the JDK's own class data sharing. So the bench makes the archive
 * the way the Dockerfile does (StartupTraining, with the same JVM flags, writing at exit) in its work directory, and
 * points the flags there: every scenario runs what the image runs.
 */
final class ImageArchive {
  private static final Pattern ARCHIVE = Pattern.compile("-XX:SharedArchiveFile=(\\S+)");

  private ImageArchive() {}

  static String inWorkDir(String flags, Path operatorJar, Path workDir) throws IOException, InterruptedException {
    Matcher m = ARCHIVE.matcher(flags);
    if (!m.find() || Files.isRegularFile(Path.of(m.group(1)))) {
      return flags;
    }
    Path jsa = workDir.resolve("image-" + Path.of(m.group(1)).getFileName()).toAbsolutePath();
    Files.deleteIfExists(jsa);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String flag : withoutArchive(flags)) {
      cmd.add(flag);
    }
    cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + jsa, "-cp", operatorJar.toAbsolutePath().toString(),
        "dev.apikeyoperator.StartupTraining"));
    Path log = workDir.resolve("image-archive-training.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(jsa)) {
      p.destroyForcibly();
      Bench.log("the image's AppCDS training run failed (see %s): the runs go without the archive", log);
      return String.join(" ", withoutArchive(flags));
    }
    Bench.log("made the image's AppCDS archive as the Dockerfile does: %s (%d MiB)", jsa, Files.size(jsa) >> 20);
    return m.replaceFirst(Matcher.quoteReplacement("-XX:SharedArchiveFile=" + jsa));
  }

  /** The flags without the archive: for a training run, or a run that brings an archive of its own. */
  static List<String> withoutArchive(String flags) {
    List<String> kept = new ArrayList<>();
    for (String flag : flags.trim().split("\\s+")) {
      if (!flag.isEmpty() && !flag.startsWith("-XX:SharedArchiveFile=") && !flag.startsWith("-Xshare")) {
        kept.add(flag);
      }
    }
    return kept;
  }
}
