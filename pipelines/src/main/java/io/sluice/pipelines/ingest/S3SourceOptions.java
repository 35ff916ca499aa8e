package io.sluice.pipelines.ingest;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Plain flags for reading {@code s3://} inputs, from AWS S3 or an S3-compatible server; {@link
 * S3Settings} turns them into Beam's own S3 options. Credentials come the usual AWS ways: the
 * default provider chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_PROFILE}, instance roles, …) or {@code --s3Profile}.
 */
public interface S3SourceOptions extends PipelineOptions {
  @Description(
      "Endpoint of an S3-compatible server (MinIO, Ceph, S3Proxy, …), e.g. "
          + "http://127.0.0.1:9000. Without it, AWS S3.")
  String getS3Endpoint();

  void setS3Endpoint(String value);

  @Description(
      "Address buckets as endpoint/bucket/key instead of bucket.endpoint/key, as most "
          + "S3-compatible servers need.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean value);

  @Description("AWS region (default: from the environment or profile, else us-east-1).")
  String getS3Region();

  void setS3Region(String value);

  @Description("Named profile from ~/.aws/credentials to take the credentials from.")
  String getS3Profile();

  void setS3Profile(String value);

  @Description(
      "Attempts of one S3 request before a read fails (the SDK backs off between them, "
          + "so a restarting server is ridden over).")
  @Default.Integer(10)
  int getS3MaxAttempts();

  void setS3MaxAttempts(int value);
}
