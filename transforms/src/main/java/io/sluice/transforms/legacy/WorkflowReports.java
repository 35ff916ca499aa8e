package io.sluice.transforms.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.transforms.keys.Keys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a legacy JSON workflow report maps into {@code workflow.run_records}: one {@code report}
 * record holding the whole payload and its SHA-256, one {@code question} record per report question
 * and one {@code artifact} record per artifact the report names. The payload keeps everything, so a
 * field that does not convert (a malformed time) becomes NULL in its column without loss.
 */
public final class WorkflowReports {
  /** The report files under the reports folder, as the legacy tool named them. */
  public static final String FILE_GLOB = "**/workflow-report-*.json";

  /** All reports are one source in parity tables and metrics. */
  public static final String GROUP = "reports";

  private static final Pattern RUN_ID_IN_NAME = Pattern.compile("workflow-report-(.+)\\.json$");

  private WorkflowReports() {}

  /**
   * Maps a report file.
   *
   * @param source the report's path under the reports folder, its {@code source}
   */
  public static LegacyRecord map(String source, byte[] content) throws UnmappableValueException {
    JsonNode payload;
    try {
      payload = LegacyValues.parse(content);
    } catch (IOException e) {
      throw new UnmappableValueException("report", "is not JSON", firstLine(e.getMessage()));
    }
    if (payload == null || !payload.isObject()) {
      throw new UnmappableValueException(
          "report",
          "is not a JSON object",
          payload == null ? "" : payload.getNodeType().toString());
    }
    String runId = textOf(payload.get("run_id"));
    if (runId == null) {
      Matcher name = RUN_ID_IN_NAME.matcher(source);
      if (!name.find()) {
        throw new UnmappableValueException("report", "names no run_id", source);
      }
      runId = name.group(1);
    }
    String canonical = LegacyValues.canonical(payload);
    List<TargetRow> rows = new ArrayList<>();
    rows.add(
        runRecord(
            runId,
            "report",
            "report",
            "main",
            status(payload),
            timeOrNull(payload.get("started_at")),
            timeOrNull(payload.get("finished_at")),
            canonical,
            Keys.sha256Hex(canonical)));
    addQuestions(rows, runId, payload.path("agentic").path("report_questions"));
    addArtifacts(rows, runId, source, payload.path("audit_artifacts"));
    return new LegacyRecord(GROUP, source, "run_id=" + runId, rows);
  }

  /**
   * The run's status as the legacy tool inferred it: the payload's own when it is one of running,
   * completed or failed; failed when preparation failed; completed once finished.
   */
  static String status(JsonNode payload) {
    String status = String.valueOf(textOf(payload.get("status"))).toLowerCase();
    if (List.of("running", "completed", "failed").contains(status)) {
      return status;
    }
    if ("failed".equalsIgnoreCase(textOf(payload.path("prep").get("status")))) {
      return "failed";
    }
    return textOf(payload.get("finished_at")) != null ? "completed" : "running";
  }

  /** One record per question with an id; a repeated id gets {@code #2}, {@code #3}, …. */
  private static void addQuestions(List<TargetRow> rows, String runId, JsonNode questions) {
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode question : questions) {
      String id = textOf(question.get("id"));
      if (!question.isObject() || id == null) {
        continue;
      }
      int occurrence = seen.merge(id, 1, Integer::sum);
      String key = occurrence == 1 ? id : id + "#" + occurrence;
      rows.add(
          runRecord(
              runId,
              "question",
              "agentic",
              key,
              textOf(question.get("confidence")),
              null,
              null,
              LegacyValues.canonical(question),
              null));
    }
  }

  /** The report itself and the audit files it names, keyed {@code type:path}. */
  private static void addArtifacts(
      List<TargetRow> rows, String runId, String source, JsonNode audit) {
    Map<String, TargetRow> byKey = new LinkedHashMap<>();
    addArtifact(byKey, runId, "workflow_report_json", source, null);
    JsonNode markdown = audit.path("markdown");
    JsonNode pdf = audit.path("pdf");
    addArtifact(
        byKey,
        runId,
        "audit_markdown",
        textOf(markdown.get("path")),
        textOf(markdown.get("status")));
    addArtifact(byKey, runId, "audit_pdf", textOf(pdf.get("path")), textOf(pdf.get("status")));
    addArtifact(byKey, runId, "audit_tex", textOf(pdf.get("tex_path")), textOf(pdf.get("status")));
    rows.addAll(byKey.values());
  }

  private static void addArtifact(
      Map<String, TargetRow> byKey, String runId, String type, String path, String status) {
    if (path == null) {
      return;
    }
    var payload = LegacyValues.newObject();
    payload.put("type", type);
    payload.put("path", path);
    payload.put("status", status);
    String key = type + ":" + LegacyValues.text(path);
    byKey.put(
        key,
        runRecord(
            runId,
            "artifact",
            "report",
            key,
            status,
            null,
            null,
            LegacyValues.canonical(payload),
            null));
  }

  private static TargetRow runRecord(
      String runId,
      String kind,
      String step,
      String key,
      String status,
      String startedAt,
      String finishedAt,
      String payload,
      String payloadSha256) {
    return new TargetRow(
        TargetTables.RUN_RECORDS.name(),
        Arrays.asList(
            LegacyValues.text(runId),
            kind,
            LegacyValues.text(step),
            LegacyValues.text(key),
            LegacyValues.text(status),
            startedAt,
            finishedAt,
            null,
            null,
            payload,
            payloadSha256));
  }

  /** A scalar as text; objects, arrays, JSON null and blank strings as {@code null}. */
  private static String textOf(JsonNode node) {
    if (node == null || !node.isValueNode() || node.isNull()) {
      return null;
    }
    String text = node.asText().strip();
    return text.isEmpty() ? null : text;
  }

  private static String timeOrNull(JsonNode node) {
    try {
      return LegacyValues.time("time", textOf(node));
    } catch (UnmappableValueException e) {
      return null;
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
