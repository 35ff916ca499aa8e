package io.sluice.pipelines.ingest;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The flags of {@code sluice ingest}, in Beam's {@code --name=value} style. */
public interface IngestOptions extends VectorSearchOptions, S3SourceOptions, EmbeddingOptions {
  @Description(
      "A file, folder or glob to ingest (repeatable; any Beam file system path). "
          + "Without it, the generated sample documents are ingested.")
  List<String> getInput();

  void setInput(List<String> value);

  @Description("Chunk size in the embedding model's tokens (at most its window less 2).")
  @Default.Integer(120)
  int getChunkSize();

  void setChunkSize(int value);

  @Description("Tokens shared by consecutive chunks.")
  @Default.Integer(16)
  int getChunkOverlap();

  void setChunkOverlap(int value);

  @Description("Let chunks run across page boundaries.")
  @Default.Boolean(false)
  boolean getChunkAcrossPages();

  void setChunkAcrossPages(boolean value);

  @Description("Inference threads per JVM (0: one per core).")
  @Default.Integer(0)
  int getEmbeddingThreads();

  void setEmbeddingThreads(int value);

  @Description(
      "Take the vector a chunk's text already has in the index version instead of embedding it"
          + " again (false: embed every chunk, e.g. to measure the model on repeated texts).")
  @Default.Boolean(true)
  boolean getReuseVectors();

  void setReuseVectors(boolean value);

  @Description(
      "Rows (chunks) per PostgreSQL transaction, at most; a bigger document is a"
          + " transaction of its own.")
  @Default.Integer(5000)
  int getBatchSize();

  void setBatchSize(int value);

  @Description(
      "Documents per PostgreSQL transaction, at most. A batch that fails is written"
          + " again document by document, so one bad document is one failure.")
  @Default.Integer(100)
  int getBatchDocuments();

  void setBatchDocuments(int value);

  @Description(
      "DirectRunner batch runs: most files in one wave (a pipeline run of its own, stored when it"
          + " ends; two waves run at a time, the first ones grow from one file).")
  @Default.Integer(4)
  int getWaveFiles();

  void setWaveFiles(int value);

  @Description("DirectRunner batch runs: most MiB of files in one wave (a larger file is a wave).")
  @Default.Integer(64)
  int getWaveMegabytes();

  void setWaveMegabytes(int value);

  @Description("Seconds after which extracting one document is abandoned as a timeout.")
  @Default.Integer(120)
  int getExtractTimeoutSeconds();

  void setExtractTimeoutSeconds(int value);

  @Description("Heap of each parser process in MiB; a document needing more is too_large.")
  @Default.Integer(768)
  int getParserHeapMb();

  void setParserHeapMb(int value);

  @Description("Parser processes per JVM, each parsing one document at a time (0: one per core).")
  @Default.Integer(0)
  int getParserProcesses();

  void setParserProcesses(int value);

  @Description("Refuse documents whose permissions forbid text extraction.")
  @Default.Boolean(false)
  boolean getHonourPermissions();

  void setHonourPermissions(boolean value);

  @Description("Largest document (file or ZIP member) in bytes; larger ones are too_large.")
  @Default.Long(256L << 20)
  long getMaxDocumentBytes();

  void setMaxDocumentBytes(long value);

  @Description("How many levels of nested ZIP archives are followed.")
  @Default.Integer(3)
  int getMaxArchiveDepth();

  void setMaxArchiveDepth(int value);

  @Description("Most entries read from one archive (nested ones included).")
  @Default.Integer(10_000)
  int getMaxArchiveEntries();

  void setMaxArchiveEntries(int value);

  @Description("Most bytes one archive may inflate to (nested ones included).")
  @Default.Long(2L << 30)
  long getMaxArchiveBytes();

  void setMaxArchiveBytes(long value);

  @Description("Largest inflated-to-compressed ratio of a ZIP member before it is a bomb.")
  @Default.Integer(100)
  int getMaxCompressionRatio();

  void setMaxCompressionRatio(int value);

  @Description("Most pages of one document.")
  @Default.Integer(20_000)
  int getMaxPages();

  void setMaxPages(int value);

  @Description(
      "Quarantine a document after it failed the same retryable way (timeout, io_error)"
          + " in this many runs: later runs skip it.")
  @Default.Integer(3)
  int getQuarantineAfter();

  void setQuarantineAfter(int value);

  @Description("Try quarantined documents again in this run.")
  @Default.Boolean(false)
  boolean getRetryQuarantined();

  void setRetryQuarantined(boolean value);

  @Description(
      "Try again, in this run, documents settled by a failure no retry could help (a"
          + " store that refused them, a file that could not be read as a PDF).")
  @Default.Boolean(false)
  boolean getRetryFailed();

  void setRetryFailed(boolean value);

  @Description("After the run, remove documents whose sources under the inputs no longer exist.")
  @Default.Boolean(false)
  boolean getPrune();

  void setPrune(boolean value);

  @Description(
      "--prune removes nothing when it would remove more than this fraction of the"
          + " sources under an input root: an unmounted share or an emptied prefix looks like that.")
  @Default.Double(0.25)
  double getMaxPruneFraction();

  void setMaxPruneFraction(double value);

  @Description(
      "With --prune: prune even beyond --maxPruneFraction. A run that did not finish, or"
          + " an input that matched no file, still prunes nothing.")
  @Default.Boolean(false)
  boolean getForce();

  void setForce(boolean value);

  @Description(
      "Keep watching the inputs and ingest new or changed files as they appear; the job "
          + "runs until cancelled (implies --streaming=true).")
  @Default.Boolean(false)
  boolean getWatch();

  void setWatch(boolean value);

  @Description("In streaming mode, seconds between two matches of the inputs.")
  @Default.Integer(5)
  int getPollIntervalSeconds();

  void setPollIntervalSeconds(int value);

  @Description(
      "In streaming mode without --watch, stop matching once no new file has appeared "
          + "for this many seconds.")
  @Default.Integer(15)
  int getStopAfterIdleSeconds();

  void setStopAfterIdleSeconds(int value);

  @Description(
      "ArangoDB server (http://host:8529). When given, every document is also written "
          + "to ArangoDB as a graph, before PostgreSQL marks it completed.")
  String getArangoUrl();

  void setArangoUrl(String value);

  @Description("ArangoDB database.")
  @Default.String("sluice")
  String getArangoDatabase();

  void setArangoDatabase(String value);

  @Description(
      "ArangoDB user; the password comes from the environment variable ARANGO_PASSWORD "
          + "or from --arangoPasswordFile, never from a flag.")
  @Default.String("root")
  String getArangoUser();

  void setArangoUser(String value);

  @Description("File holding the ArangoDB password (instead of ARANGO_PASSWORD).")
  String getArangoPasswordFile();

  void setArangoPasswordFile(String value);

  @Description("Create the ArangoDB database when it is missing.")
  @Default.Boolean(true)
  boolean getArangoCreateDatabase();

  void setArangoCreateDatabase(boolean value);

  @Description(
      "Driver protocol: HTTP2_JSON (default), HTTP_JSON (HTTP/1.1), HTTP2_VPACK, " + "HTTP_VPACK.")
  @Default.String("HTTP2_JSON")
  String getArangoProtocol();

  void setArangoProtocol(String value);

  @Description("Documents per ArangoDB batch (their chunks and edges go with them).")
  @Default.Integer(500)
  int getArangoBatchDocuments();

  void setArangoBatchDocuments(int value);

  @Description("Approximate bytes per ArangoDB batch.")
  @Default.Long(4L << 20)
  long getArangoBatchBytes();

  void setArangoBatchBytes(long value);

  @Description("Run id (a new UUID when absent).")
  String getRunId();

  void setRunId(String value);
}
