package io.sluice.transforms.embed;

import ai.onnxruntime.OrtEnvironment;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's environment for this class loader, without the JVM shutdown hook that ONNX Runtime
 * registers with it.
 *
 * <p>The hook only frees the environment when the JVM exits, which the operating system does
 * anyway. But it is a thread whose task is a class of this class loader, registered with the JVM
 * for as long as it runs: on a Flink TaskManager, where every job gets a class loader of its own,
 * each finished job's classes (about 30 MB of Metaspace) and its copy of the native library would
 * stay, and a few jobs later the TaskManager fails with "OutOfMemoryError: Metaspace". The hook is
 * taken out by reflection into {@code java.lang}, which Flink's default JVM options open ({@code
 * --add-opens=java.base/java.lang=ALL-UNNAMED}); where they are not, it stays, and a line at INFO
 * says so. In the JVM's own class loader (the command line, the DirectRunner) the hook stays: that
 * loader lives as long as the JVM.
 */
final class OnnxEnvironment {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxEnvironment.class);
  private static final String CLOSER = OrtEnvironment.class.getName() + "$OrtEnvCloser";

  private static boolean hookRemoved;

  private OnnxEnvironment() {}

  static synchronized OrtEnvironment get() {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    boolean jobClassLoader =
        OnnxEnvironment.class.getClassLoader() != ClassLoader.getSystemClassLoader();
    if (jobClassLoader && !hookRemoved) {
      removeShutdownHook();
      hookRemoved = true;
    }
    return environment;
  }

  private static void removeShutdownHook() {
    try {
      Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
      Field registered = hooks.getDeclaredField("hooks");
      registered.setAccessible(true);
      List<Thread> ours = new ArrayList<>();
      // The JDK's own methods on the hooks lock that class.
      synchronized (hooks) {
        for (Thread hook : ((Map<?, ?>) registered.get(null)).keySet().toArray(Thread[]::new)) {
          Object task = taskOf(hook);
          if (task != null
              && task.getClass().getName().equals(CLOSER)
              && task.getClass().getClassLoader() == OrtEnvironment.class.getClassLoader()) {
            ours.add(hook);
          }
        }
      }
      ours.forEach(Runtime.getRuntime()::removeShutdownHook);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.info(
          "ONNX Runtime's shutdown hook stays registered ({}): on a long-lived worker it keeps"
              + " this job's classes loaded after the job ends",
          e.toString());
    }
  }

  /** The Runnable a thread was made with: Java 17 keeps it in Thread.target. */
  private static Object taskOf(Thread thread) throws ReflectiveOperationException {
    Field target = Thread.class.getDeclaredField("target");
    target.setAccessible(true);
    return target.get(thread);
  }
}
