package io.sluice.transforms.read;

import java.io.IOException;

/** A read stopped because it passed one of the {@link ReadLimits}. */
final class LimitExceededException extends IOException {
  LimitExceededException(String message) {
    super(message);
  }
}
