package io.sluice.transforms.legacy;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.FailureClass;
import io.sluice.transforms.model.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads legacy JSON workflow reports and maps each into its run records ({@link WorkflowReports}).
 * A report that is not JSON becomes an {@code invalid} failure and an unreadable one an {@code
 * io_error}; either way the next report still loads.
 *
 * <pre>{@code
 * pipeline.apply(ReadWorkflowReports.under("/data/reports/")
 *     .files(List.of("2024/workflow-report-1.json")));
 * }</pre>
 */
public final class ReadWorkflowReports
    extends PTransform<PBegin, WithFailures.Result<PCollection<LegacyRecord>, Failure>> {
  private static final TupleTag<LegacyRecord> RECORDS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String root;
  private final List<String> files;

  private ReadWorkflowReports(String root, List<String> files) {
    this.root = root;
    this.files = files;
  }

  /** Reports under this folder (a path or URI Beam's file systems know). */
  public static ReadWorkflowReports under(String root) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("reports folder must not be blank");
    }
    return new ReadWorkflowReports(root.endsWith("/") ? root : root + "/", List.of());
  }

  /** The report files to read, as paths under the folder. */
  public ReadWorkflowReports files(List<String> relativePaths) {
    if (relativePaths == null || relativePaths.isEmpty()) {
      throw new IllegalArgumentException("files must name at least one report");
    }
    return new ReadWorkflowReports(root, List.copyOf(relativePaths));
  }

  @Override
  public WithFailures.Result<PCollection<LegacyRecord>, Failure> expand(PBegin begin) {
    PCollectionTuple mapped =
        begin
            .apply("Report files", Create.of(files))
            .apply(
                "Map reports",
                ParDo.of(new MapReportFn(root)).withOutputTags(RECORDS, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(mapped, RECORDS, FAILURES);
  }

  private static final class MapReportFn extends DoFn<String, LegacyRecord> {
    private final String root;
    private final Counter read = Metrics.counter("backfill " + WorkflowReports.GROUP, "rows_read");
    private final Counter invalid =
        Metrics.counter("backfill " + WorkflowReports.GROUP, "rows_invalid");

    MapReportFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) {
      read.inc();
      byte[] content;
      try (InputStream in =
          Channels.newInputStream(
              FileSystems.open(FileSystems.matchNewResource(root + file, false)))) {
        content = in.readAllBytes();
      } catch (IOException e) {
        out.get(FAILURES)
            .output(
                Failure.ofUri(
                    file, Stage.BACKFILL, FailureClass.IO_ERROR, "cannot read report: " + e));
        return;
      }
      try {
        out.get(RECORDS).output(WorkflowReports.map(file, content));
      } catch (UnmappableValueException e) {
        invalid.inc();
        out.get(FAILURES)
            .output(Failure.ofUri(file, Stage.BACKFILL, FailureClass.INVALID, e.getMessage()));
      }
    }
  }
}
