package io.sluice.pipelines.ingest;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The embedding model, shared by {@code ingest} (which embeds chunks with it) and {@code query}
 * (which embeds questions with the model of the version it searches).
 */
public interface EmbeddingOptions extends PipelineOptions {
  @Description(
      "Embedding model: all-minilm-l6-v2-q (the default), all-minilm-l6-v2, bge-small-en-v1.5-q,"
          + " e5-small-v2-q, onnx:<path or URI of a model.onnx> (with --tokenizer, --pooling,"
          + " --dimension), or with --embeddingEndpoint the model id the endpoint serves.")
  String getEmbeddingModel();

  void setEmbeddingModel(String value);

  @Description("For an onnx: model: its HuggingFace tokenizer.json (path or URI).")
  String getTokenizer();

  void setTokenizer(String value);

  @Description("For an onnx: model: mean or cls pooling of its token states.")
  @Default.String("mean")
  String getPooling();

  void setPooling(String value);

  @Description("For an onnx: model: the dimension of its vectors (checked against the model).")
  @Default.Integer(0)
  int getDimension();

  void setDimension(int value);

  @Description("For an onnx: model: its input window in tokens, special tokens included.")
  @Default.Integer(512)
  int getMaxTokens();

  void setMaxTokens(int value);

  @Description("For an onnx: model: scale vectors to unit length.")
  @Default.Boolean(true)
  boolean getNormalise();

  void setNormalise(boolean value);

  @Description("For an onnx: model: text put before every question (e.g. \"query: \").")
  @Default.String("")
  String getQueryPrefix();

  void setQueryPrefix(String value);

  @Description("For an onnx: model: text put before every chunk (e.g. \"passage: \").")
  @Default.String("")
  String getPassagePrefix();

  void setPassagePrefix(String value);

  @Description(
      "An OpenAI-compatible embedding endpoint, e.g. http://host:8080/v1 (vLLM,"
          + " text-embeddings-inference, Ollama, Infinity, OpenAI); its API key comes from"
          + " SLUICE_EMBEDDING_API_KEY or --embeddingApiKeyFile.")
  String getEmbeddingEndpoint();

  void setEmbeddingEndpoint(String value);

  @Description("With --embeddingEndpoint: the dimension of its vectors (checked on every answer).")
  @Default.Integer(0)
  int getEmbeddingDimension();

  void setEmbeddingDimension(int value);

  @Description("With --embeddingEndpoint: a file holding its API key (never a flag's value).")
  String getEmbeddingApiKeyFile();

  void setEmbeddingApiKeyFile(String value);

  @Description("With --embeddingEndpoint: texts per request.")
  @Default.Integer(64)
  int getEmbeddingBatchSize();

  void setEmbeddingBatchSize(int value);

  @Description("With --embeddingEndpoint: requests in flight at once, per JVM.")
  @Default.Integer(4)
  int getEmbeddingConcurrency();

  void setEmbeddingConcurrency(int value);

  @Description("With --embeddingEndpoint: seconds one request may take before it is retried.")
  @Default.Integer(60)
  int getEmbeddingTimeoutSeconds();

  void setEmbeddingTimeoutSeconds(int value);
}
