package io.sluice.pipelines.ingest;

import io.sluice.transforms.model.Failure;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts failures by class ({@code failed_not_pdf}, {@code failed_timeout}, …) as they pass, so a
 * runner's own monitoring shows them while the job runs: on Flink, the web UI and the REST API.
 * Counted before the failure sink, whose retries would count a failure twice.
 */
public final class CountFailures extends PTransform<PCollection<Failure>, PCollection<Failure>> {
  private CountFailures() {}

  public static CountFailures byClass() {
    return new CountFailures();
  }

  @Override
  public PCollection<Failure> expand(PCollection<Failure> failures) {
    return failures.apply("Count", ParDo.of(new CountFn()));
  }

  private static final class CountFn extends DoFn<Failure, Failure> {
    @ProcessElement
    public void process(@Element Failure failure, OutputReceiver<Failure> out) {
      Metrics.counter(CountFailures.class, "failed_" + failure.failureClass().code()).inc();
      out.output(failure);
    }
  }
}
