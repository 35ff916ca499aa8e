package io.sluice.transforms.legacy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.Assert.assertThrows;

import io.sluice.transforms.keys.Keys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

public class WorkflowReportsTest {
  private static final String REPORT =
      """
      {"run_id": "r1", "finished_at": "2024-03-01T10:07:00Z", "started_at": "soon",
       "agentic": {"report_questions": [{"id": "A1", "confidence": "high"}, {"id": "A1"},
                                        {"question": "no id"}]},
       "audit_artifacts": {"pdf": {"path": "audit.pdf", "tex_path": "audit.tex", "status": "ok"}}}
      """;

  @Test
  public void mapsAReportItsQuestionsAndArtifacts() throws Exception {
    LegacyRecord record = WorkflowReports.map("2024/workflow-report-r1.json", bytes(REPORT));

    assertThat(record.group(), equalTo("reports"));
    assertThat(record.source(), equalTo("2024/workflow-report-r1.json"));
    assertThat(
        record.rows().stream().map(TargetRow::key).toList(),
        contains(
            List.of("r1", "report", "report", "main"),
            List.of("r1", "question", "agentic", "A1"),
            List.of("r1", "question", "agentic", "A1#2"),
            List.of(
                "r1", "artifact", "report", "workflow_report_json:2024/workflow-report-r1.json"),
            List.of("r1", "artifact", "report", "audit_pdf:audit.pdf"),
            List.of("r1", "artifact", "report", "audit_tex:audit.tex")));
    List<String> report = record.rows().get(0).values();
    // status, started_at (not a time: NULL, the payload keeps it), finished_at, …, payload, sha
    assertThat(report.get(4), equalTo("completed"));
    assertThat(report.get(5), nullValue());
    assertThat(report.get(6), equalTo("2024-03-01T10:07:00Z"));
    assertThat(report.get(10), equalTo(Keys.sha256Hex(report.get(9))));
    assertThat(record.rows().get(1).values().get(4), equalTo("high"));
  }

  @Test
  public void takesTheRunIdFromTheFileNameWhenThePayloadHasNone() throws Exception {
    LegacyRecord record =
        WorkflowReports.map(
            "workflow-report-r7.json", bytes("{\"prep\": {\"status\": \"failed\"}}"));
    assertThat(record.rows().get(0).key().get(0), equalTo("r7"));
    assertThat(record.rows().get(0).values().get(4), equalTo("failed"));
  }

  @Test
  public void refusesAReportThatIsNotAJsonObject() {
    UnmappableValueException truncated =
        assertThrows(
            UnmappableValueException.class,
            () -> WorkflowReports.map("workflow-report-x.json", bytes("{\"run_id\": ")));
    assertThat(truncated.reason(), equalTo("report is not JSON"));
    assertThrows(
        UnmappableValueException.class,
        () -> WorkflowReports.map("workflow-report-x.json", bytes("[1, 2]")));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
