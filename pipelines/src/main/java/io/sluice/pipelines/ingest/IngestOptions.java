package io.sluice.pipelines.ingest;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The flags of {@code sluice ingest}, in Beam's {@code --name=value} style. */
public interface IngestOptions extends StoreOptions {
  @Description("A file, folder or glob to ingest (repeatable; any Beam file system path). "
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

  @Description("In-process embedding model.")
  @Default.String("all-minilm-l6-v2-q")
  String getEmbeddingModel();

  void setEmbeddingModel(String value);

  @Description("Inference threads per JVM (0: one per core).")
  @Default.Integer(0)
  int getEmbeddingThreads();

  void setEmbeddingThreads(int value);

  @Description("Rows per JDBC batch when writing chunks and vectors.")
  @Default.Integer(500)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Seconds after which extracting one document is abandoned as a timeout.")
  @Default.Integer(120)
  int getExtractTimeoutSeconds();

  void setExtractTimeoutSeconds(int value);

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

  @Description("After the run, remove documents whose sources under the inputs no longer exist.")
  @Default.Boolean(false)
  boolean getPrune();

  void setPrune(boolean value);

  @Description("Keep watching the inputs and ingest new or changed files as they appear; the job "
      + "runs until cancelled (implies --streaming=true).")
  @Default.Boolean(false)
  boolean getWatch();

  void setWatch(boolean value);

  @Description("In streaming mode, seconds between two matches of the inputs.")
  @Default.Integer(5)
  int getPollIntervalSeconds();

  void setPollIntervalSeconds(int value);

  @Description("In streaming mode without --watch, stop matching once no new file has appeared "
      + "for this many seconds.")
  @Default.Integer(15)
  int getStopAfterIdleSeconds();

  void setStopAfterIdleSeconds(int value);

  @Description("Run id (a new UUID when absent).")
  String getRunId();

  void setRunId(String value);
}
