package io.sluice.testing.arango;

import io.sluice.sinks.arango.ArangoConfig;
import org.junit.rules.ExternalResource;

/** A fresh stand-in for each test ({@code @Rule}), database {@code sluice}, stopped after it. */
public final class RunningArangoStandIn extends ExternalResource {
  private ArangoStandIn standIn;

  @Override
  protected void before() throws Throwable {
    standIn = ArangoStandIn.start("root", "secret");
  }

  @Override
  protected void after() {
    standIn.close();
  }

  public ArangoStandIn standIn() {
    return standIn;
  }

  /** How sluice reaches the stand-in's database {@code sluice}. */
  public ArangoConfig config() {
    return standIn.config("sluice");
  }
}
