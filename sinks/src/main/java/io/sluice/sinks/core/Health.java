package io.sluice.sinks.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code sluice health} says of one dependency: a verdict, the reason in one line a person can
 * act on, and the facts behind it (versions, counts) for {@code --json}. Neither may hold a secret.
 */
public record Health(String dependency, boolean ok, String reason, Map<String, Object> facts) {
  public Health {
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  public static Health ok(String dependency, String reason, Map<String, Object> facts) {
    return new Health(dependency, true, reason, facts);
  }

  public static Health failing(String dependency, String reason, Map<String, Object> facts) {
    return new Health(dependency, false, reason, facts);
  }

  public static Health failing(String dependency, String reason) {
    return failing(dependency, reason, Map.of());
  }
}
