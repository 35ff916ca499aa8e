package io.sluice.sinks.postgres;

import io.sluice.transforms.embed.StoredVectors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The vectors one index version holds in PostgreSQL, found by the text hash of their chunks
 * (through {@code chunks_text_sha256}, schema version 6), on a connection of the database's shared
 * pool. Read as stored ({@code real[]}), so a reused vector has the bits the model once gave.
 */
public record PostgresStoredVectors(DatabaseConfig database, String indexVersion)
    implements StoredVectors.Factory {
  private static final String FIND =
      """
      SELECT DISTINCT ON (c.text_sha256) c.text_sha256, v.embedding
      FROM indexing.chunks c
      JOIN indexing.vectors v ON v.chunk_id = c.chunk_id AND v.pipeline_run_id = ?
      WHERE c.text_sha256 = ANY (?)""";

  public PostgresStoredVectors {
    if (database == null || indexVersion == null) {
      throw new IllegalArgumentException("stored vectors need a database and an index version");
    }
  }

  @Override
  public StoredVectors open() {
    ConnectionPools.Lease pool = ConnectionPools.lease(database);
    return new StoredVectors() {
      @Override
      public Map<String, float[]> find(Set<String> textSha256s) {
        Map<String, float[]> found = new HashMap<>();
        try (Connection connection = pool.connection();
            PreparedStatement statement = connection.prepareStatement(FIND)) {
          statement.setString(1, indexVersion);
          statement.setArray(2, connection.createArrayOf("text", textSha256s.toArray()));
          try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
              found.put(result.getString(1), floats(result.getArray(2)));
            }
          }
          connection.commit();
        } catch (SQLException e) {
          throw new IllegalStateException("cannot read stored vectors: " + e.getMessage(), e);
        }
        return found;
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  private static float[] floats(Array array) throws SQLException {
    Float[] boxed = (Float[]) array.getArray();
    float[] vector = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      vector[i] = boxed[i];
    }
    return vector;
  }
}
