package io.sluice.pipelines.ingest;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads a finished pipeline's counters, committed where the runner has them, else attempted. */
public final class PipelineMetrics {
  private PipelineMetrics() {}

  public static long counter(PipelineResult result, Class<?> namespace, String name) {
    return counter(result, namespace.getName(), name);
  }

  public static long counter(PipelineResult result, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      try {
        total += counter.getCommitted();
      } catch (UnsupportedOperationException e) {
        total += counter.getAttempted();
      }
    }
    return total;
  }
}
