package io.sluice.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.samples.SampleCorpus;
import io.sluice.sinks.postgres.DatabaseConfig;
import io.sluice.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The CLI's log lines: JSON that parses, with the run id, and never a password. */
public class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "hunter2-never-logged";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @After
  public void backToTheTestsLogging() {
    Configurator.reconfigure();
  }

  private static List<JsonNode> jsonLines(Path file) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  @Test
  public void anIngestLogsJsonLinesWithItsRunIdAndTheFailuresItRecorded() throws Exception {
    Path input = folder.newFolder("input").toPath();
    SampleCorpus.writeTo(input);
    Path log = folder.getRoot().toPath().resolve("sluice.log");
    DatabaseConfig database = TestDatabases.fresh();
    // The embedded server trusts local connections: the password is ignored, but it is given.
    String url = database.jdbcUrl() + "&password=" + PASSWORD;

    CliRun run =
        CliRun.of(
            "ingest",
            "--input=" + input,
            "--databaseUrl=" + url,
            "--runId=logged-run",
            "--logFormat=json",
            "--logFile=" + log);

    assertThat(run.log(), run.exitCode(), equalTo(0));
    List<JsonNode> lines = jsonLines(log);
    List<String> runIds = lines.stream().map(line -> line.path("run_id").asText()).toList();
    assertThat(runIds, everyItem(equalTo("logged-run")));
    List<String> messages = lines.stream().map(line -> line.path("message").asText()).toList();
    assertThat(messages, hasItem(containsString("password=***")));
    // The samples' locked PDF is a failure, logged once with its document and source.
    List<JsonNode> locked =
        lines.stream()
            .filter(line -> line.path("source_uri").asText().endsWith("/locked.pdf"))
            .toList();
    assertThat(locked.size(), equalTo(1));
    assertThat(locked.get(0).path("level").asText(), equalTo("WARN"));
    assertThat(locked.get(0).path("doc_id").asText().length(), equalTo(64));
    assertThat(Files.readString(log), not(containsString(PASSWORD)));
    assertThat(run.out() + run.log(), not(containsString(PASSWORD)));
  }

  @Test
  public void aPasswordInAnyoneElsesMessageIsMaskedInTextAndJson() throws Exception {
    for (Logging.Format format : Logging.Format.values()) {
      Path log = folder.getRoot().toPath().resolve("masked." + format);
      Logging.configure(format, log);
      MDC.put("run_id", "masking-run");
      try {
        LoggerFactory.getLogger("io.sluice.somewhere")
            .warn(
                "cannot connect to jdbc:postgresql://db:5432/sluice?user=u&password={} nor to"
                    + " http://root:{}@arango:8529",
                PASSWORD,
                PASSWORD,
                new IllegalStateException("refused: password=" + PASSWORD));
      } finally {
        MDC.remove("run_id");
      }
      String written = Files.readString(log);
      assertThat(format + ": " + written, written, not(containsString(PASSWORD)));
      assertThat(written, containsString("password=***"));
      assertThat(written, containsString("//root:***@arango"));
      assertThat(written, containsString("masking-run"));
      if (format == Logging.Format.JSON) {
        assertThat(
            jsonLines(log).get(0).path("exception").asText(),
            containsString("IllegalStateException"));
      }
    }
  }
}
