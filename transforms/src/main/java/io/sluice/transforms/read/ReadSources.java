package io.sluice.transforms.read;

import io.sluice.transforms.model.Failure;
import io.sluice.transforms.model.SourceDocument;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the given inputs (files, folders, globs on any Beam file system) into source documents:
 * PDFs as they are, ZIP archives member by member within {@link ReadLimits}. Whatever cannot be
 * read becomes a classified {@link Failure} on the failure output.
 *
 * <p>By default the inputs are matched once. {@link #continuously} keeps matching them: new files,
 * and files whose modification time changed, are read as they appear. The match keeps what it has
 * seen in the runner's state, so a job restored from a checkpoint or savepoint goes on with the
 * files it had not yet read.
 *
 * <pre>{@code
 * WithFailures.Result<PCollection<SourceDocument>, Failure> sources =
 *     pipeline.apply(ReadSources.from(List.of("/data/papers/")).withLimits(ReadLimits.defaults()));
 * }</pre>
 */
public final class ReadSources
    extends PTransform<PBegin, WithFailures.Result<PCollection<SourceDocument>, Failure>> {

  private static final TupleTag<SourceDocument> DOCUMENTS = new TupleTag<>() {};
  private static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final List<String> inputs;
  private final @Nullable List<MatchResult.Metadata> matched;
  private final ReadLimits limits;
  private final @Nullable Duration pollInterval;
  private final @Nullable Duration stopAfterIdle;

  private ReadSources(
      List<String> inputs,
      @Nullable List<MatchResult.Metadata> matched,
      ReadLimits limits,
      @Nullable Duration pollInterval,
      @Nullable Duration stopAfterIdle) {
    this.inputs = List.copyOf(inputs);
    this.matched = matched == null ? null : List.copyOf(matched);
    this.limits = limits;
    this.pollInterval = pollInterval;
    this.stopAfterIdle = stopAfterIdle;
  }

  public static ReadSources from(List<String> inputs) {
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input is needed");
    }
    for (String input : inputs) {
      if (input == null || input.isBlank()) {
        throw new IllegalArgumentException("an input is blank: " + inputs);
      }
    }
    return new ReadSources(inputs, null, ReadLimits.defaults(), null, null);
  }

  /**
   * Files matched before the pipeline was built, read as they are, whatever their names: the caller
   * chose them. A file that went away since its match becomes a read failure, not a failed run.
   */
  public static ReadSources fromMatched(List<MatchResult.Metadata> files) {
    if (files == null || files.isEmpty()) {
      throw new IllegalArgumentException("at least one matched file is needed");
    }
    List<String> uris =
        files.stream().map(file -> InputPatterns.sourceUri(file.resourceId().toString())).toList();
    return new ReadSources(uris, files, ReadLimits.defaults(), null, null);
  }

  public ReadSources withLimits(ReadLimits newLimits) {
    if (newLimits == null) {
      throw new IllegalArgumentException("limits must not be null");
    }
    return new ReadSources(inputs, matched, newLimits, pollInterval, stopAfterIdle);
  }

  /**
   * Matches the inputs every {@code poll}; stops matching once no new file has appeared for {@code
   * stopAfterIdle}, or never when it is null (watching a folder for good).
   */
  public ReadSources continuously(Duration poll, @Nullable Duration stopAfterIdle) {
    if (poll == null || poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive, got " + poll);
    }
    if (stopAfterIdle != null && (stopAfterIdle.isNegative() || stopAfterIdle.isZero())) {
      throw new IllegalArgumentException("stopAfterIdle must be positive, got " + stopAfterIdle);
    }
    if (matched != null) {
      throw new IllegalStateException("files matched beforehand cannot be matched continuously");
    }
    return new ReadSources(inputs, null, limits, poll, stopAfterIdle);
  }

  @Override
  public WithFailures.Result<PCollection<SourceDocument>, Failure> expand(PBegin begin) {
    PCollectionTuple read =
        files(begin)
            .apply(
                "Read",
                ParDo.of(new ReadFn(limits, explicitFiles()))
                    .withOutputTags(DOCUMENTS, TupleTagList.of(FAILURES)));
    return WithFailures.Result.of(read, DOCUMENTS, FAILURES);
  }

  private PCollection<MatchResult.Metadata> files(PBegin begin) {
    if (matched == null) {
      return begin
          .apply("Inputs", Create.of(inputs.stream().map(InputPatterns::toPattern).toList()))
          .apply("Match", match());
    }
    return begin
        .apply("Matched", Create.of(matched).withCoder(MetadataCoderV2.of()))
        // As a match does: one file per bundle downstream, whatever Create made of them.
        .apply("Spread", Reshuffle.viaRandomKey());
  }

  /** The files read whatever their names: those named one by one, or all of the matched ones. */
  private Set<String> explicitFiles() {
    if (matched != null) {
      return new TreeSet<>(inputs);
    }
    Set<String> explicit = new TreeSet<>();
    for (String input : inputs) {
      String pattern = InputPatterns.toPattern(input);
      if (!InputPatterns.isGlob(pattern)) {
        explicit.add(InputPatterns.sourceUri(pattern));
      }
    }
    return explicit;
  }

  private FileIO.MatchAll match() {
    FileIO.MatchAll once =
        FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD);
    if (pollInterval == null) {
      return once;
    }
    Watch.Growth.TerminationCondition<String, ?> stop =
        stopAfterIdle == null
            ? Watch.Growth.never()
            : Watch.Growth.afterTimeSinceNewOutput(
                org.joda.time.Duration.millis(stopAfterIdle.toMillis()));
    // Updated files count as new: a file overwritten with new bytes is an updated source.
    return once.continuously(org.joda.time.Duration.millis(pollInterval.toMillis()), stop, true);
  }

  /** Reads each matched file; skips names that are neither PDF nor ZIP unless named explicitly. */
  private static final class ReadFn extends DoFn<MatchResult.Metadata, SourceDocument> {
    private final Counter filesRead = Metrics.counter(ReadSources.class, "files_read");
    private final Counter filesIgnored = Metrics.counter(ReadSources.class, "files_ignored");
    private final Counter documentsRead = Metrics.counter(ReadSources.class, "documents_read");
    private final Counter bytesRead = Metrics.counter(ReadSources.class, "bytes_read");
    private final Counter failures = Metrics.counter(ReadSources.class, "read_failures");

    private final ReadLimits limits;
    private final Set<String> explicitFiles;
    private transient SourceReader reader;

    ReadFn(ReadLimits limits, Set<String> explicitFiles) {
      this.limits = limits;
      this.explicitFiles = explicitFiles;
    }

    @Setup
    public void setup() {
      reader = new SourceReader(limits);
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String uri = InputPatterns.sourceUri(file.resourceId().toString());
      if (!explicitFiles.contains(uri) && !InputPatterns.isIngestibleName(uri)) {
        filesIgnored.inc();
        return;
      }
      filesRead.inc();
      reader.read(
          uri,
          file.sizeBytes(),
          () -> Channels.newInputStream(FileSystems.open(file.resourceId())),
          new SourceEmitter() {
            @Override
            public void document(SourceDocument document) {
              documentsRead.inc();
              bytesRead.inc(document.content().length);
              out.get(DOCUMENTS).output(document);
            }

            @Override
            public void failure(Failure failure) {
              failures.inc();
              out.get(FAILURES).output(failure);
            }
          });
    }
  }
}
