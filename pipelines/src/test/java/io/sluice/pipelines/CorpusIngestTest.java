package io.sluice.pipelines;

import static io.sluice.testing.TestDatabases.count;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assume.assumeTrue;

import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.Corpus;
import io.sluice.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.Test;

/**
 * Ingests the shared corpus of real and hostile files beside the repository, when it exists, and
 * holds every file to its MANIFEST.tsv row: text gives chunks, no-text is recorded without chunks,
 * encrypted, corrupt and reject end in the right failure class. Nothing hangs, nothing crashes.
 */
public class CorpusIngestTest {
  /** Failure classes each manifest expectation allows. */
  private static final Map<String, List<String>> FAILURE_CLASSES =
      Map.of(
          "encrypted", List.of("encrypted"),
          "corrupt", List.of("corrupt"),
          "reject", List.of("not_pdf", "rejected"));

  private static final int MAX_MESSAGE_LENGTH = 400;

  @Test
  public void everyFileEndsAsItsManifestExpects() throws Exception {
    Optional<Path> corpus = Corpus.directory();
    assumeTrue(
        "no shared corpus beside the repository (../shared/corpus); nothing to check",
        corpus.isPresent());
    DatabaseConfig database = TestDatabases.fresh();
    long start = System.nanoTime();
    Ingests.run(database, List.of(corpus.get().toString()), "corpus-run");
    System.out.printf(
        "corpus ingest: %.1f s, %d chunks%n",
        (System.nanoTime() - start) / 1e9, count(database, "SELECT count(*) FROM indexing.chunks"));

    String root = "file://" + corpus.get();
    Map<String, String> wrong = new TreeMap<>();
    for (Corpus.Entry entry : Corpus.manifest(corpus.get())) {
      String uri = root + "/" + entry.path();
      String outcome =
          entry.path().endsWith(".zip")
              ? archiveOutcome(database, uri, entry.expected())
              : documentOutcome(database, uri, entry.expected());
      if (outcome != null) {
        wrong.put(entry.path(), "expected " + entry.expected() + ", got " + outcome);
      }
    }
    assertThat(wrong, anEmptyMap());
    // A failure row is read by a person: one line that says what and why, no stack trace; and
    // whether a retry can help follows from the class.
    Map<String, String> unreadable =
        new TreeMap<>(
            Ingests.map(
                database,
                "SELECT source_uri,"
                    + " message FROM observability.request_failures WHERE message ~ '[\\n\\t]'"
                    + " OR length(message) > "
                    + MAX_MESSAGE_LENGTH
                    + " OR message ~ 'Exception:.*Exception:'"));
    assertThat(unreadable, anEmptyMap());
    assertThat(
        count(
            database,
            "SELECT count(*) FROM observability.request_failures"
                + " WHERE retryable <> (error_class IN ('timeout', 'io_error'))"),
        equalTo(0L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM ingestion.sources WHERE source_uri LIKE '"
                + root
                + "/zips/nested-zip-in-zip.zip!/%'"),
        equalTo(3L));
    assertThat(
        count(
            database,
            "SELECT count(*) FROM ingestion.sources s JOIN ingestion.documents d"
                + " USING (doc_id) WHERE d.status = 'ok' AND s.source_uri LIKE '"
                + root
                + "/zips/mixed-pdf-and-other-files.zip!/%'"),
        equalTo(2L));
    assertThat(count(database, "SELECT count(*) FROM indexing.chunks"), greaterThan(1000L));
  }

  /** Null when the document ended as expected, else what it ended as. */
  private static String documentOutcome(DatabaseConfig database, String uri, String expected)
      throws Exception {
    Map<String, String> status =
        Ingests.map(
            database,
            "SELECT s.source_uri, d.status"
                + " FROM ingestion.sources s JOIN ingestion.documents d USING (doc_id)"
                + " WHERE s.source_uri = ?",
            uri);
    String found = status.getOrDefault(uri, failureClasses(database, uri).toString());
    long chunks =
        count(
            database,
            "SELECT count(*) FROM indexing.chunks c JOIN ingestion.sources s"
                + " USING (doc_id) WHERE s.source_uri = '"
                + uri.replace("'", "''")
                + "'");
    boolean asExpected =
        switch (expected) {
          case "text" -> found.equals("ok") && chunks > 0;
          case "no-text" -> found.equals("no_text") && chunks == 0;
          default -> FAILURE_CLASSES.get(expected).contains(found);
        };
    return asExpected ? null : found + " with " + chunks + " chunks";
  }

  /** An archive's expectation speaks of the whole: its members' outcomes and its own. */
  private static String archiveOutcome(DatabaseConfig database, String uri, String expected)
      throws Exception {
    long membersWithText =
        count(
            database,
            "SELECT count(*) FROM ingestion.sources s"
                + " JOIN ingestion.documents d USING (doc_id) WHERE d.status = 'ok'"
                + " AND starts_with(s.source_uri, '"
                + uri.replace("'", "''")
                + "!/')");
    Map<String, String> failures = failureClasses(database, uri);
    boolean asExpected =
        switch (expected) {
          case "text" -> membersWithText > 0;
          case "no-text" -> "no_text".equals(failures.get(uri));
          default -> failures.values().stream().anyMatch(FAILURE_CLASSES.get(expected)::contains);
        };
    return asExpected ? null : membersWithText + " members with text, failures " + failures;
  }

  /** The failure classes recorded for a source and, for an archive, its members. */
  private static Map<String, String> failureClasses(DatabaseConfig database, String uri)
      throws Exception {
    return Ingests.map(
        database,
        "SELECT source_uri, error_class FROM"
            + " observability.request_failures WHERE source_uri = ? OR starts_with(source_uri, ?)",
        uri,
        uri + "!/");
  }
}
