package io.sluice.testing;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared corpus of real and hostile files beside the repository ({@code ../shared/corpus}),
 * when it exists, and its manifest: the expected outcome of every file.
 */
public final class Corpus {
  /** One manifest row: the file's path under the corpus and what a correct ingester does. */
  public record Entry(String path, String category, String expected, String notes) {}

  private Corpus() {}

  public static Optional<Path> directory() {
    String configured = System.getProperty("sluice.corpusDir");
    Path candidate = configured != null ? Path.of(configured) : Path.of("../shared/corpus");
    return Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))
        ? Optional.of(candidate.toAbsolutePath().normalize())
        : Optional.empty();
  }

  public static List<Entry> manifest(Path directory) throws IOException {
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema =
        CsvSchema.emptySchema().withHeader().withColumnSeparator('\t').withoutQuoteChar();
    try (MappingIterator<Map<String, String>> rows =
        mapper
            .readerForMapOf(String.class)
            .with(schema)
            .readValues(directory.resolve("MANIFEST.tsv").toFile())) {
      List<Entry> entries = new ArrayList<>();
      for (Map<String, String> row : rows.readAll()) {
        entries.add(
            new Entry(row.get("path"), row.get("category"), row.get("expected"), row.get("notes")));
      }
      return entries;
    }
  }
}
