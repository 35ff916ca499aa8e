package io.sluice.transforms.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When each stage a document has passed began and ended on its worker, in epoch milliseconds: the
 * times the ledger records for it (extract, chunk, embed; the store's are the store transaction's
 * own).
 */
public record StageTimes(List<Span> spans) {
  public static final StageTimes NONE = new StageTimes(List.of());

  /** One stage's work on the document. */
  public record Span(Stage stage, long startedMillis, long finishedMillis) {
    public Span {
      if (finishedMillis < startedMillis) {
        throw new IllegalArgumentException(
            stage + " finished at " + finishedMillis + " before it started at " + startedMillis);
      }
    }
  }

  public StageTimes {
    spans = List.copyOf(spans);
  }

  /** These times with the stage's span set, replacing an earlier one of the same stage. */
  public StageTimes with(Stage stage, long startedMillis, long finishedMillis) {
    List<Span> next = new ArrayList<>(spans.size() + 1);
    spans.stream().filter(span -> span.stage() != stage).forEach(next::add);
    next.add(new Span(stage, startedMillis, finishedMillis));
    return new StageTimes(next);
  }

  public Optional<Span> of(Stage stage) {
    return spans.stream().filter(span -> span.stage() == stage).findFirst();
  }
}
