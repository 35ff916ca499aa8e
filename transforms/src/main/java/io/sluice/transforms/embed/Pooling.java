package io.sluice.transforms.embed;

import java.nio.FloatBuffer;

/**
 * How a model's token states become one vector: the mean over the tokens (sentence-transformers'
 * default) or the state of the first, [CLS], token (BGE). Which one a model needs is part of the
 * model, not a choice: the other gives vectors that look fine and search badly.
 */
public enum Pooling {
  MEAN {
    @Override
    double[] pool(FloatBuffer hidden, int tokens, int dimension) {
      double[] sum = new double[dimension];
      for (int token = 0; token < tokens; token++) {
        for (int d = 0; d < dimension; d++) {
          sum[d] += hidden.get(token * dimension + d);
        }
      }
      for (int d = 0; d < dimension; d++) {
        sum[d] /= tokens;
      }
      return sum;
    }
  },
  CLS {
    @Override
    double[] pool(FloatBuffer hidden, int tokens, int dimension) {
      double[] first = new double[dimension];
      for (int d = 0; d < dimension; d++) {
        first[d] = hidden.get(d);
      }
      return first;
    }
  };

  /** The pooled vector of {@code tokens} token states of {@code dimension} floats each. */
  abstract double[] pool(FloatBuffer hidden, int tokens, int dimension);

  /** The vector of the token states, scaled to unit length when {@code normalise}. */
  public float[] vector(FloatBuffer hidden, int tokens, int dimension, boolean normalise) {
    double[] pooled = pool(hidden, tokens, dimension);
    double norm = 1;
    if (normalise) {
      double squares = 0;
      for (double value : pooled) {
        squares += value * value;
      }
      norm = Math.max(Math.sqrt(squares), 1e-12);
    }
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) (pooled[d] / norm);
    }
    return vector;
  }

  /** {@code mean} or {@code cls}, as users write it. */
  public static Pooling parse(String name) {
    for (Pooling pooling : values()) {
      if (pooling.name().equalsIgnoreCase(name)) {
        return pooling;
      }
    }
    throw new IllegalArgumentException("pooling must be mean or cls, got '" + name + "'");
  }
}
