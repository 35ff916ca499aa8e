package io.sluice.transforms.embed;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.util.Platform;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the Hugging Face tokenizers' native library (DJL's {@code libtokenizers}) for the class
 * loader this class lives in, from a copy of its own.
 *
 * <p>The JVM binds a native library file to one class loader: a second class loader loading the
 * same file fails with "already loaded in another classloader". DJL extracts the library to one
 * cache path per user, so on a Flink TaskManager, where every job and every restart of a job gets a
 * new user class loader, the second one could not tokenize. Here each class loader extracts the
 * library to a fresh temporary folder, points DJL at it through DJL's own {@code RUST_LIBRARY_PATH}
 * override, and deletes the file once it is loaded (the mapping stays). The override is a system
 * property, which every class loader of the JVM shares, so setting it and DJL's reading of it
 * happen under the lock of the system properties, the one lock they share.
 *
 * <p>To pick the library's platform DJL probes for CUDA once, through JNA, and keeps the CUDA
 * runtime open if the machine has one (a GPU or not). JNA then runs a cleaner thread until every
 * library it opened is closed; that thread is a class of this class loader, so it would keep a
 * finished job's classes (about 30 MB of Metaspace) on a TaskManager for as long as the JVM runs,
 * and a few jobs later the TaskManager fails with "OutOfMemoryError: Metaspace". Nothing else of
 * sluice uses JNA and the tokenizer does not use CUDA, so the probe's libraries are closed as soon
 * as the tokenizer's library is loaded.
 */
final class TokenizerLibrary {
  private static final Logger LOG = LoggerFactory.getLogger(TokenizerLibrary.class);
  private static final String OVERRIDE = "RUST_LIBRARY_PATH";
  private static final String FILE = System.mapLibraryName("tokenizers");

  private static boolean loaded;

  private TokenizerLibrary() {}

  /** Loads the library for this class loader, once; later calls return at once. */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    if (System.getenv(OVERRIDE) != null) {
      // The operator chose the library file; DJL reads the environment before any property.
      LibUtils.checkStatus();
    } else {
      loadPrivateCopy();
    }
    closeJnaLibraries();
    loaded = true;
  }

  /** JNA's own "close every library", which JNA keeps package-private. */
  private static void closeJnaLibraries() {
    try {
      Method disposeAll = NativeLibrary.class.getDeclaredMethod("disposeAll");
      disposeAll.setAccessible(true);
      disposeAll.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info(
          "the libraries DJL's CUDA probe opened stay open ({}): on a long-lived worker JNA's"
              + " cleaner thread keeps this job's classes loaded after the job ends",
          e.toString());
    }
  }

  private static void loadPrivateCopy() {
    synchronized (System.getProperties()) {
      Path folder = null;
      String previous = System.getProperty(OVERRIDE);
      try {
        folder = Files.createTempDirectory("sluice-tokenizers-");
        Path library = folder.resolve(FILE);
        copyBundledLibrary(library);
        System.setProperty(OVERRIDE, library.toString());
        LibUtils.checkStatus();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot extract the tokenizer's native library", e);
      } finally {
        if (previous == null) {
          System.clearProperty(OVERRIDE);
        } else {
          System.setProperty(OVERRIDE, previous);
        }
        if (folder != null) {
          FileUtils.deleteQuietly(folder.toFile());
        }
      }
    }
  }

  /** The library DJL bundles for this platform, at the path DJL's own extraction reads it from. */
  private static void copyBundledLibrary(Path target) throws IOException {
    String resource =
        "native/lib/" + Platform.detectPlatform("tokenizers").getClassifier() + "/cpu/" + FILE;
    try (InputStream bundled = LibUtils.class.getClassLoader().getResourceAsStream(resource)) {
      if (bundled == null) {
        throw new IllegalStateException(
            "the tokenizer's native library "
                + resource
                + " is not on the classpath: this platform is not supported");
      }
      Files.copy(bundled, target);
    }
  }
}
