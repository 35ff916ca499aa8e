package io.sluice.pipelines.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.rules.ExternalResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server on 127.0.0.1 for the tests: S3Proxy 4 with a filesystem blob store
 * and AWS v2/v4 authentication, run as its own JVM from the jar the build copied (its newer AWS SDK
 * and Jetty stay off the test classpath). It can be stopped and started again on the same port with
 * the same objects, as a restarting object store would be.
 */
final class S3ProxyServer extends ExternalResource {
  static final String ACCESS_KEY = "sluice-access";
  static final String SECRET_KEY = "sluice-secret";

  private Path home;
  private int port;
  private Process process;

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  protected void before() throws Exception {
    home = Files.createTempDirectory("sluice-s3proxy");
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    start();
  }

  @Override
  protected void after() {
    stop();
  }

  void start() throws Exception {
    Path data = Files.createDirectories(home.resolve("blobs"));
    Path properties = home.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + data));
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                System.getProperty("sluice.s3proxyJar"),
                "--properties",
                properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("s3proxy.log").toFile())
            .start();
    for (int i = 0; i < 300; i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "S3Proxy exited: " + Files.readString(home.resolve("s3proxy.log")));
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("S3Proxy did not listen on " + endpoint());
  }

  void stop() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Creates the bucket and uploads every file under {@code folder} below {@code prefix}. */
  void upload(String bucket, String prefix, Path folder) throws IOException {
    try (S3Client s3 = client();
        Stream<Path> files = Files.walk(folder)) {
      if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
        s3.createBucket(request -> request.bucket(bucket));
      }
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = prefix + folder.relativize(file).toString().replace('\\', '/');
        s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
    }
  }

  /** Puts one object with these bytes, replacing any object of that key. */
  void put(String bucket, String key, byte[] content) {
    try (S3Client s3 = client()) {
      s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }
  }

  /** The flags that point sluice at this server. */
  List<String> flags() {
    return List.of("--s3Endpoint=" + endpoint(), "--s3PathStyle=true");
  }
}
