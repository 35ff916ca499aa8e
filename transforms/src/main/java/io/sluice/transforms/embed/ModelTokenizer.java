package io.sluice.transforms.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's own tokenizer (Hugging Face tokenizers through DJL), loaded once per class loader.
 * Chunking sees the text's tokens with UTF-16 offsets and word numbers, so chunks are sized in the
 * tokens the model counts; embedding gets the model's input ids, special tokens added and cut to
 * the model's window.
 */
public final class ModelTokenizer {
  private static final Map<ModelSpec, ModelTokenizer> LOADED = new ConcurrentHashMap<>();

  /** Token ids with their UTF-16 spans in the text and the number of the word each belongs to. */
  public record Tokens(long[] ids, int[] starts, int[] ends, long[] wordIds) {
    public int size() {
      return ids.length;
    }
  }

  private final HuggingFaceTokenizer whole;
  private final HuggingFaceTokenizer window;

  private ModelTokenizer(ModelSpec spec) {
    TokenizerLibrary.load();
    byte[] json = ModelFiles.read(spec.tokenizer());
    whole = load(spec, json, Map.of("truncation", "false", "padding", "false"));
    window =
        load(
            spec,
            json,
            Map.of(
                "truncation",
                "true",
                "padding",
                "false",
                "maxLength",
                Integer.toString(spec.maxTokens())));
  }

  public static ModelTokenizer of(ModelSpec spec) {
    return LOADED.computeIfAbsent(spec, ModelTokenizer::new);
  }

  private static HuggingFaceTokenizer load(
      ModelSpec spec, byte[] json, Map<String, String> options) {
    try (InputStream in = new ByteArrayInputStream(json)) {
      return HuggingFaceTokenizer.newInstance(in, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer of " + spec.name(), e);
    }
  }

  /** All tokens of the text, without special tokens and without truncation. */
  public Tokens tokenize(String text) {
    Encoding encoding = whole.encode(text, false, false);
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] utf16 = codePointToUtf16(text);
    int[] starts = new int[spans.length];
    int[] ends = new int[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = utf16[spans[i].getStart()];
      ends[i] = utf16[spans[i].getEnd()];
    }
    return new Tokens(encoding.getIds(), starts, ends, encoding.getWordIds());
  }

  /** The model's input ids for one text: [CLS] tokens [SEP], cut to the model's window. */
  public long[] inputIds(String text) {
    return window.encode(text, true, false).getIds();
  }

  /** The tokenizer reports code-point offsets; Java strings index UTF-16 units. */
  private static int[] codePointToUtf16(String text) {
    int codePoints = text.codePointCount(0, text.length());
    int[] map = new int[codePoints + 1];
    int utf16 = 0;
    for (int cp = 0; cp < codePoints; cp++) {
      map[cp] = utf16;
      utf16 += Character.charCount(text.codePointAt(utf16));
    }
    map[codePoints] = utf16;
    return map;
  }
}
