package io.sluice.transforms.keys;

import java.io.Serializable;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What made an index version's vectors: the provider (a catalogue model run in process, a model
 * file of the user's own, an embedding endpoint), what identifies the model there (the catalogue
 * artifact, the SHA-256 of the model and tokenizer files, the endpoint's model id), its pooling
 * ({@code mean} or {@code cls}; an endpoint's is its own), normalisation and the prefixes put
 * before questions and passages.
 */
public record EmbeddingProvenance(
    Provider provider,
    String source,
    @Nullable String pooling,
    boolean normalise,
    String queryPrefix,
    String passagePrefix)
    implements Serializable {

  /** Where vectors are computed. */
  public enum Provider {
    IN_PROCESS,
    FILE,
    ENDPOINT
  }

  public EmbeddingProvenance {
    if (provider == null || source == null || queryPrefix == null || passagePrefix == null) {
      throw new IllegalArgumentException("provider, source and prefixes must not be null");
    }
  }

  /**
   * What this adds to an index version's id: nothing for a catalogue model, whose name fixes all of
   * it (and whose version ids are older than provenance); everything for a file or an endpoint, so
   * that a changed file, pooling or prefix makes a new version instead of mixing vectors.
   */
  String identity() {
    if (provider == Provider.IN_PROCESS) {
      return "";
    }
    return String.join(
        "|",
        "",
        "provider=" + provider,
        "source=" + source,
        "pooling=" + pooling,
        "normalise=" + normalise,
        "query_prefix=" + queryPrefix,
        "passage_prefix=" + passagePrefix);
  }
}
