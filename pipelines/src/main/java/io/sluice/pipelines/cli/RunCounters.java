package io.sluice.pipelines.cli;

/** A run's pipeline counters by namespace and name, summed over its pipeline runs. */
@FunctionalInterface
interface RunCounters {
  long counter(Class<?> namespace, String name);
}
