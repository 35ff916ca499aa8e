package io.sluice.transforms.embed;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The model in several class loaders of one JVM, as a Flink TaskManager runs one job after another,
 * and a restarted job, each in a user class loader of its own: every loader loads the native
 * tokenizer and ONNX Runtime and embeds bit for bit as this one does.
 */
public class ClassLoaderIsolationTest {
  private static final String TEXT = "The lock keeper opens the sluice gate to fill the chamber.";

  private SentenceEmbedder embedder;

  @Before
  public void loadModelHere() {
    embedder = SentenceEmbedder.acquire(ModelCatalogue.ALL_MINILM_L6_V2_Q, 1);
  }

  @After
  public void releaseModel() {
    embedder.close();
  }

  /** A loader that sees the test classpath and shares nothing with this one but the JDK. */
  private static URLClassLoader isolatedLoader() {
    URL[] urls =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(ClassLoaderIsolationTest::url)
            .toArray(URL[]::new);
    return new URLClassLoader("isolated", urls, ClassLoader.getPlatformClassLoader());
  }

  private static URL url(String path) {
    try {
      return new File(path).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(path, e);
    }
  }

  /** Acquires, uses and releases the model inside the loader, as a job's DoFns would. */
  private static float[] embedIn(ClassLoader loader) throws Exception {
    Class<?> spec = loader.loadClass(ModelSpec.class.getName());
    Class<?> catalogue = loader.loadClass(ModelCatalogue.class.getName());
    Class<?> embedderClass = loader.loadClass(SentenceEmbedder.class.getName());
    Object model = catalogue.getMethod("named", String.class).invoke(null, "all-minilm-l6-v2-q");
    Object loaded = embedderClass.getMethod("acquire", spec, int.class).invoke(null, model, 1);
    try {
      return (float[]) embedderClass.getMethod("embed", String.class).invoke(loaded, TEXT);
    } finally {
      embedderClass.getMethod("close").invoke(loaded);
    }
  }

  @Test
  public void everyClassLoaderLoadsTheNativeLibrariesAndEmbedsTheSame() throws Exception {
    float[] here = embedder.embed(TEXT);
    for (int job = 0; job < 3; job++) {
      try (URLClassLoader loader = isolatedLoader()) {
        assertThat("class loader " + job, Arrays.equals(embedIn(loader), here), equalTo(true));
      }
    }
  }
}
