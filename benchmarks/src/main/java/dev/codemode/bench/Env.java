package dev.codemode.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codemode.demo.DemoApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where things are (repository root, shared specs, the packaged jar, a scratch directory) and the machine the run is
 * on. Immutable. Example: <pre>{@code Env env = Env.locate(Path.of("."), null); Path jar = env.jar();}</pre>
 */
record Env(Path root, Path specDir, Path jar, Path work) {
  static final String DEMO_TOKEN = "bench-token-9f2c";
  static final String DEMO_TOKEN_VAR = "CODEMODE_BENCH_DEMO_TOKEN";

  static Env locate(Path start, Path shared) {
    Path root = start;
    while (root != null && !(Files.isDirectory(root.resolve("benchmarks")) && Files.isDirectory(root.resolve("server")))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("run from the repository (no benchmarks/ and server/ above " + start + ")");
    }
    Path sharedDir = shared != null ? shared : root.resolve("../shared").normalize();
    if (shared == null && !Files.isDirectory(sharedDir.resolve("specs"))) {
      sharedDir = root.resolve("test-data");
      Bench.log("no ../shared next to the repository: using the repository's test-data/ (compressed specs; the"
          + " context part then covers only the uncompressed ones). Pass --shared DIR for the full set.");
    }
    Path specs = sharedDir.resolve("specs");
    if (!Files.isDirectory(specs)) {
      throw new IllegalStateException("no specs at " + specs + ": pass --shared DIR (the folder holding specs/)");
    }
    Path work = root.resolve("benchmarks/target/bench-work");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + work, e);
    }
    return new Env(root, specs, root.resolve("server/target/codemode-mcp.jar"), work);
  }

  Path githubSpec() {
    Path plain = specDir.resolve("github-rest-3.0.json");
    return Files.exists(plain) ? plain : specDir.resolve("github-rest-3.0.json.gz");
  }

  /** {@code java <same flags as the conformance tests> -jar codemode-mcp.jar args}. */
  List<String> serverCommand(List<String> args) {
    return serverCommand(jar, args);
  }

  /** The same command for another server jar (the lean benchmark compares several). */
  static List<String> serverCommand(Path jar, List<String> args) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("the packaged server is missing at " + jar + ": run ./mvnw -B -DskipTests package");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xss4m");
    cmd.add("-Dpolyglot.engine.WarnInterpreterOnly=false");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    return cmd;
  }

  /** The demo API in this JVM, with its spec written to a file; every server under test points at it. */
  Demo startDemo() throws IOException {
    DemoApi api = DemoApi.start("127.0.0.1", 0, DEMO_TOKEN);
    Path spec = work.resolve("demo-openapi.json");
    Files.writeString(spec, api.openApiJson(), StandardCharsets.UTF_8);
    return new Demo(api, spec);
  }

  /** The demo API and its spec file. */
  record Demo(DemoApi api, Path specFile) implements AutoCloseable {
    String baseUrl() {
      return api.baseUrl().toString();
    }

    /** Flags that point Codemode at this demo API, the token passed through {@link #DEMO_TOKEN_VAR}. */
    List<String> codemodeArgs() {
      return List.of("--spec", specFile.toString(), "--base-url", baseUrl(), "--auth",
          "bearerAuth=env:" + DEMO_TOKEN_VAR, "--no-semantic");
    }

    Map<String, String> env() {
      return Map.of(DEMO_TOKEN_VAR, api.token());
    }

    @Override
    public void close() {
      api.close();
    }
  }

  static ObjectNode machine() {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
    long kb = mem.isEmpty() ? 0 : Long.parseLong(mem.replaceAll("[^0-9]", ""));
    m.put("memoryGiB", Math.round(kb / 1024.0 / 1024.0 * 10) / 10.0);
    m.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    String os = firstMatch(Path.of("/etc/os-release"), "PRETTY_NAME").replace("\"", "");
    m.put("os", (os.isEmpty() ? System.getProperty("os.name") : os) + ", kernel " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch"));
    return m;
  }

  private static String firstMatch(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          int i = line.indexOf(line.contains(":") ? ':' : '=');
          return line.substring(i + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return "";
    }
    return "";
  }

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
