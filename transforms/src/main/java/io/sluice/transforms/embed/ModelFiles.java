package io.sluice.transforms.embed;

import io.sluice.transforms.keys.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The bytes of a model's ONNX graph or tokenizer: a resource on the classpath ({@code classpath:}
 * and its name, for the catalogue's models, which ship in the job jar) or a file on any Beam file
 * system (a local path, {@code s3://…}), for a model of the user's own.
 */
public final class ModelFiles {
  static final String CLASSPATH = "classpath:";

  private ModelFiles() {}

  public static boolean onClasspath(String location) {
    return location.startsWith(CLASSPATH);
  }

  /** The whole file: ONNX Runtime and the tokenizer take their input in one piece. */
  public static byte[] read(String location) {
    try (InputStream in = open(location)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location + ": " + e.getMessage(), e);
    }
  }

  /**
   * The jar a classpath resource comes from, if it comes from one: what a cluster must be sent with
   * the job for its workers to find the file.
   */
  public static Optional<Path> jarOf(String location) {
    if (!onClasspath(location)) {
      return Optional.empty();
    }
    URL url = ModelFiles.class.getResource(location.substring(CLASSPATH.length()));
    if (url == null || !"jar".equals(url.getProtocol())) {
      return Optional.empty();
    }
    String jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
    try {
      return Optional.of(Path.of(new URI(jar)));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the jar of " + url, e);
    }
  }

  /** The SHA-256 of the file, in hex: what an index version records of a user's model. */
  public static String sha256(String location) {
    return Keys.sha256Hex(read(location));
  }

  private static InputStream open(String location) throws IOException {
    if (onClasspath(location)) {
      String resource = location.substring(CLASSPATH.length());
      InputStream in = ModelFiles.class.getResourceAsStream(resource);
      if (in == null) {
        throw new IOException(resource + " is not on the classpath");
      }
      return in;
    }
    return Channels.newInputStream(
        FileSystems.open(FileSystems.matchSingleFileSpec(location).resourceId()));
  }
}
