package io.sluice.pipelines.ingest;

import com.arangodb.Protocol;
import io.sluice.sinks.arango.ArangoConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The ArangoDB connection the options ask for, if any. The password is read here, on the client,
 * from {@code ARANGO_PASSWORD} or the file {@code --arangoPasswordFile} names; it never appears on
 * a command line.
 */
public final class ArangoSettings {
  public static final String PASSWORD_VARIABLE = "ARANGO_PASSWORD";

  private ArangoSettings() {}

  public static Optional<ArangoConfig> from(IngestOptions options) {
    if (options.getArangoUrl() == null) {
      return Optional.empty();
    }
    Protocol protocol;
    try {
      protocol = Protocol.valueOf(options.getArangoProtocol().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown arangoProtocol " + options.getArangoProtocol());
    }
    return Optional.of(
        new ArangoConfig(
            options.getArangoUrl(),
            options.getArangoDatabase(),
            options.getArangoUser(),
            password(options),
            protocol,
            options.getArangoCreateDatabase()));
  }

  private static String password(IngestOptions options) {
    if (options.getArangoPasswordFile() != null) {
      try {
        return Files.readString(Path.of(options.getArangoPasswordFile())).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read arangoPasswordFile", e);
      }
    }
    String fromEnvironment = System.getenv(PASSWORD_VARIABLE);
    return fromEnvironment == null ? "" : fromEnvironment;
  }
}
