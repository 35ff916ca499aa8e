package io.sluice.pipelines.ingest;

import java.net.URI;
import java.time.Duration;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.backoff.BackoffStrategy;
import software.amazon.awssdk.core.retry.backoff.EqualJitterBackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Applies sluice's S3 flags to Beam's S3 file system. Beam's {@code S3Options} has no path-style
 * switch and a fixed retry policy, so sluice installs its own client builder factory, which starts
 * from Beam's and adds both.
 */
public final class S3Settings {
  private S3Settings() {}

  public static void apply(PipelineOptions options) {
    S3SourceOptions flags = options.as(S3SourceOptions.class);
    S3Options s3 = options.as(S3Options.class);
    if (flags.getS3Endpoint() != null) {
      s3.setEndpoint(URI.create(flags.getS3Endpoint()));
    }
    if (flags.getS3Region() != null) {
      s3.setAwsRegion(Region.of(flags.getS3Region()));
    } else if (flags.getS3Endpoint() != null && s3.getAwsRegion() == null) {
      // S3-compatible servers ignore the region, but the SDK insists on one.
      s3.setAwsRegion(Region.US_EAST_1);
    }
    if (flags.getS3Profile() != null) {
      s3.setAwsCredentialsProvider(ProfileCredentialsProvider.create(flags.getS3Profile()));
    }
    s3.setS3ClientFactoryClass(ClientFactory.class);
  }

  /** Beam's S3 client, with path-style addressing when asked and sluice's retry policy. */
  public static final class ClientFactory implements S3ClientBuilderFactory {
    private final DefaultS3ClientBuilderFactory beams = new DefaultS3ClientBuilderFactory();

    @Override
    public S3ClientBuilder createBuilder(S3Options options) {
      S3SourceOptions flags = options.as(S3SourceOptions.class);
      BackoffStrategy backoff =
          EqualJitterBackoffStrategy.builder()
              .baseDelay(Duration.ofMillis(200))
              .maxBackoffTime(Duration.ofSeconds(5))
              .build();
      return beams
          .createBuilder(options)
          .forcePathStyle(flags.getS3PathStyle())
          .overrideConfiguration(
              configuration ->
                  configuration.retryPolicy(
                      RetryPolicy.builder()
                          .numRetries(Math.max(0, flags.getS3MaxAttempts() - 1))
                          .backoffStrategy(backoff)
                          .throttlingBackoffStrategy(backoff)
                          .build()));
    }
  }
}
