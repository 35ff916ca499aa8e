package io.sluice.transforms.embed;

import io.sluice.transforms.model.FailureClass;

/**
 * An embedder gave up on a text with a failure it can classify: retries exhausted on an endpoint
 * that was unreachable, overloaded or too slow ({@code io_error}, {@code timeout}: tried again by
 * later runs), or refused for good ({@code refused}: a key the server rejects, a text it will not
 * take). {@link EmbedChunks} makes the document a failure record of that class.
 */
public final class EmbeddingFailedException extends RuntimeException {
  private final FailureClass failureClass;

  public EmbeddingFailedException(FailureClass failureClass, String message, Throwable cause) {
    super(message, cause);
    this.failureClass = failureClass;
  }

  public FailureClass failureClass() {
    return failureClass;
  }
}
