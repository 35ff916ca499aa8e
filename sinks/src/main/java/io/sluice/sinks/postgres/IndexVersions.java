package io.sluice.sinks.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.transforms.keys.IndexVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The index versions vectors and ledger rows belong to: a model, its dimension and the chunking,
 * registered once under their content-derived id.
 */
public final class IndexVersions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IndexVersions() {}

  /**
   * Registers the run's index version, when it has one, in a transaction of its own: claims and
   * vectors reference it, and every DoFn that writes either calls this at setup.
   */
  public static void register(RetryingConnection connection, RunContext run)
      throws SQLException, InterruptedException {
    if (run.indexVersion() != null) {
      connection.inTransaction(
          c -> {
            register(c, run.indexVersion());
            return null;
          });
    }
  }

  public static void register(Connection connection, IndexVersion version) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            """
        INSERT INTO indexing.index_versions (pipeline_run_id, embedding_model, dimension,
            chunk_size, chunk_overlap, chunk_unit, across_pages, parameters)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)
        ON CONFLICT (pipeline_run_id) DO NOTHING""")) {
      insert.setString(1, version.id());
      insert.setString(2, version.embeddingModel());
      insert.setInt(3, version.dimension());
      insert.setInt(4, version.chunkSize());
      insert.setInt(5, version.chunkOverlap());
      insert.setString(6, version.chunkUnit());
      insert.setBoolean(7, version.acrossPages());
      try {
        insert.setString(8, JSON.writeValueAsString(version));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("cannot write " + version + " as JSON", e);
      }
      insert.executeUpdate();
    }
  }
}
