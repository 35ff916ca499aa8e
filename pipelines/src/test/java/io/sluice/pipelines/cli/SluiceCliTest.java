package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The command line as users and scripts call it: exit codes, reports, checksum, status. */
public class SluiceCliTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();
  private DatabaseConfig database;
  private Path input;

  @Before
  public void setUp() throws Exception {
    database = TestDatabases.fresh();
    input = folder.newFolder("input").toPath();
    SampleCorpus.writeTo(input);
  }

  private static CliRun sluice(String... args) {
    return CliRun.of(args);
  }

  /** Ingests the samples and returns how many documents the store then holds. */
  private long ingestTheSamples(String url) throws Exception {
    assertThat(sluice("ingest", "--input=" + input, url).exitCode(), equalTo(0));
    return TestDatabases.count(database, "SELECT count(*) FROM ingestion.documents");
  }

  @Test
  public void ingestReportsThenChecksumAndStatusAgree() {
    String url = "--databaseUrl=" + database.jdbcUrl();
    CliRun first = sluice("ingest", "--input=" + input, url);
    assertThat(first.log(), first.exitCode(), equalTo(0));
    assertThat(first.out(), containsString("documents stored"));
    assertThat(first.out(), containsString("encrypted"));
    CliRun checksum = sluice("checksum", url);
    assertThat(checksum.exitCode(), equalTo(0));
    // Seven ingest tables, eight backfill targets, then the total.
    assertThat(checksum.out().lines().count(), equalTo(16L));
    assertThat(checksum.out(), containsString("observability.token_usage"));

    CliRun second = sluice("ingest", "--input=" + input, url);
    assertThat(second.exitCode(), equalTo(0));
    assertThat(second.out(), containsString("embeddings computed 0 "));
    assertThat(sluice("checksum", url).out(), equalTo(checksum.out()));

    CliRun status = sluice("status", url);
    assertThat(status.exitCode(), equalTo(0));
    assertThat(
        status.out().lines().filter(line -> line.matches("^\\S{36}  completed .*")).count(),
        equalTo(2L));
    assertThat(status.out(), containsString("skipped (already settled)"));
    assertThat(
        status.out(),
        containsString(
            "ledger: 0 documents in progress, 0 of them stale"
                + " (claimed over 30 min ago; the next ingest redoes them), 0 quarantined"));
    assertThat(status.out(), not(containsString("integrity:")));
    CliRun integrity = sluice("status", url, "--integrity");
    assertThat(
        integrity.out(),
        containsString(
            "integrity: every chunk has its document, every vector its chunk and version"));

    CliRun firstReport = sluice("status", url, "--run=" + first.runId());
    assertThat(firstReport.out(), containsString("encrypted"));
    assertThat(firstReport.out(), containsString("locked.pdf"));
  }

  @Test
  public void pruneRemovesDocumentsWhoseFilesAreGone() throws Exception {
    String url = "--databaseUrl=" + database.jdbcUrl();
    long before = ingestTheSamples(url);
    Files.delete(input.resolve("multilingual.pdf"));
    CliRun pruned = sluice("ingest", "--input=" + input, url, "--prune=true");
    assertThat(pruned.exitCode(), equalTo(0));
    assertThat(pruned.out(), containsString("documents pruned"));
    assertThat(
        TestDatabases.count(database, "SELECT count(*) FROM ingestion.documents"),
        equalTo(before - 1));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM ingestion.sources"
                + " WHERE source_uri LIKE '%multilingual.pdf'"),
        equalTo(0L));
  }

  /** The measured report: 2 documents ingested, the folder emptied, and --prune removed both. */
  @Test
  public void pruneRemovesNothingWhenAnInputMatchesNoFile() throws Exception {
    String url = "--databaseUrl=" + database.jdbcUrl();
    long documents = ingestTheSamples(url);
    FileUtils.cleanDirectory(input.toFile());
    CliRun pruned = sluice("ingest", "--input=" + input, url, "--prune=true", "--force=true");
    assertThat(pruned.log(), pruned.exitCode(), equalTo(0));
    assertThat(pruned.out(), containsString("held back: input " + input + " matched no file"));
    assertThat(
        TestDatabases.count(database, "SELECT count(*) FROM ingestion.documents"),
        equalTo(documents));
  }

  @Test
  public void pruneHoldsBackWhenMostSourcesWouldGoUnlessForced() throws Exception {
    String url = "--databaseUrl=" + database.jdbcUrl();
    long documents = ingestTheSamples(url);
    Files.delete(input.resolve("bundle.zip"));
    Files.delete(input.resolve("multilingual.pdf"));
    CliRun held =
        sluice("ingest", "--input=" + input, url, "--prune=true", "--maxPruneFraction=0.1");
    assertThat(held.log(), held.exitCode(), equalTo(0));
    assertThat(held.out(), containsString("more than --maxPruneFraction=0.10; --force prunes"));
    assertThat(
        TestDatabases.count(database, "SELECT count(*) FROM ingestion.documents"),
        equalTo(documents));

    CliRun forced =
        sluice(
            "ingest",
            "--input=" + input,
            url,
            "--prune=true",
            "--maxPruneFraction=0.1",
            "--force=true");
    assertThat(forced.log(), forced.exitCode(), equalTo(0));
    assertThat(forced.out(), not(containsString("held back")));
    assertThat(
        TestDatabases.count(
            database,
            "SELECT count(*) FROM ingestion.sources"
                + " WHERE source_uri LIKE '%bundle.zip%' OR source_uri LIKE '%multilingual.pdf'"),
        equalTo(0L));
  }

  @Test
  public void mistakesGetOneClearLineAndExitCodeTwo() {
    CliRun missing =
        sluice(
            "ingest",
            "--input=" + input.resolve("nope.pdf"),
            "--databaseUrl=" + database.jdbcUrl());
    assertThat(missing.exitCode(), equalTo(2));
    assertThat(missing.log(), containsString("input not found"));

    CliRun unknownFlag = sluice("ingest", "--chunkSise=10");
    assertThat(unknownFlag.exitCode(), equalTo(2));
    assertThat(unknownFlag.log(), containsString("chunkSise"));

    CliRun tooLarge =
        sluice(
            "ingest", "--input=" + input, "--chunkSize=500", "--databaseUrl=" + database.jdbcUrl());
    assertThat(tooLarge.exitCode(), equalTo(2));
    assertThat(tooLarge.log(), containsString("chunkSize must be between 1 and 126"));

    CliRun badUrl = sluice("checksum", "--databaseUrl=postgres://user:secret@host/db");
    assertThat(badUrl.exitCode(), equalTo(2));
    assertThat(badUrl.log(), not(containsString("secret")));

    CliRun unreachable =
        sluice("status", "--databaseUrl=jdbc:postgresql://127.0.0.1:1/db?user=u&password=secret");
    assertThat(unreachable.exitCode(), equalTo(2));
    assertThat(
        unreachable.log().strip(),
        startsWith(
            "sluice: error: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/db"));
    assertThat(unreachable.log().strip().lines().count(), equalTo(1L));
    assertThat(unreachable.log(), not(containsString("secret")));

    assertThat(sluice("frobnicate").exitCode(), equalTo(2));
  }
}
