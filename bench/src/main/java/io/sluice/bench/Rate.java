package io.sluice.bench;

/** How many items a measured piece of work handled in how long. */
record Rate(long items, double seconds) {
  double perSecond() {
    return seconds > 0 ? items / seconds : 0;
  }

  static Rate since(long items, long startNanos) {
    return new Rate(items, (System.nanoTime() - startNanos) / 1e9);
  }
}
