package io.sluice.pipelines.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.apache.beam.sdk.io.fs.MatchResult;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Says in one line why an input cannot be listed, naming the cause a person can act on. */
final class InputProblems {
  private InputProblems() {}

  /** Why a match of the input did not succeed. */
  static String describe(String input, MatchResult match) {
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return "input not found: " + input;
    }
    try {
      match.metadata();
      return describe(input, new IOException("match failed with status " + match.status()));
    } catch (IOException e) {
      return describe(input, e);
    }
  }

  static String describe(String input, Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof AwsServiceException service) {
        String code =
            service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
        int status = service.statusCode();
        if ("NoSuchBucket".equals(code) || status == 404) {
          return "bucket of "
              + input
              + " does not exist (S3 says "
              + code
              + ", HTTP "
              + status
              + ")";
        }
        if (status == 401 || status == 403) {
          return "S3 refused the credentials for "
              + input
              + " ("
              + code
              + ", HTTP "
              + status
              + "): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, --s3Profile or the role";
        }
        return "S3 refused to list " + input + ": " + code + " (HTTP " + status + ")";
      }
      if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
        return "cannot reach the S3 endpoint for " + input + ": " + cause.getMessage();
      }
      if (cause instanceof SdkClientException client && cause.getCause() == null) {
        return "cannot list " + input + ": " + client.getMessage();
      }
    }
    return "cannot list " + input + ": " + error.getMessage();
  }
}
