package dev.jgen.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * The one place that talks to the DJL engine: which device, which seed, and the per-thread
 * libtorch state that every DSL entry point must set for itself.
 */
public final class Backend {
    static {
        // DJL's first engine start phones home unless told otherwise; nothing here may leave the machine.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private static final Object LOCK = new Object();
    private static volatile Engine engine;
    private static volatile Device device;
    private static volatile NDManager results;
    private static Random random = new Random(0);

    private Backend() {}

    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (LOCK) {
                if (engine == null) {
                    engine = Engine.getEngine("PyTorch");
                }
                e = engine;
            }
        }
        return e;
    }

    /** "DJL 0.36.0, PyTorch engine, libtorch 2.7.1": what runs the tensors (loads the engine). */
    public static String engineDescription() {
        Engine e = engine();
        return "DJL " + Engine.getDjlVersion() + ", " + e.getEngineName() + " engine, libtorch " + e.getVersion();
    }

    /** CUDA devices the engine sees (0 on a CPU build of libtorch). */
    public static int gpuCount() {
        return engine().getGpuCount();
    }

    /** The device models are built on: the first GPU when the engine sees one, the CPU otherwise. */
    public static Device device() {
        Device d = device;
        if (d == null) {
            Engine e = engine();
            d = e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            device = d;
        }
        return d;
    }

    public static void useDevice(Device chosen) {
        device = chosen;
    }

    /** Seeds libtorch (weights, noise) and the Java generator used for shuffling and toy data. */
    public static void seed(long seed) {
        engine().setRandomSeed((int) seed);
        synchronized (LOCK) {
            random = new Random(seed);
        }
    }

    /** A Java generator derived from the global seed, so data order is reproducible after {@code Gen.seed}. */
    public static Random newRandom() {
        synchronized (LOCK) {
            return new Random(random.nextLong());
        }
    }

    /** The JVM option that sets {@link #threads()}. */
    public static final String THREADS_OPTION = "-Dai.djl.pytorch.num_threads";

    /** How many threads libtorch uses inside one op (-Dai.djl.pytorch.num_threads sets it). */
    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /**
     * Where results handed to user code without a manager live (e.g. {@code samples.array()}): open for the
     * life of the program, on the CPU.
     */
    public static NDManager resultsManager() {
        NDManager m = results;
        if (m == null) {
            synchronized (LOCK) {
                if (results == null) {
                    results = engine().newBaseManager(Device.cpu());
                }
                m = results;
            }
        }
        return m;
    }

    public static NDManager newManager() {
        return engine().newBaseManager(device());
    }

    /**
     * Inference mode for the calling thread. libtorch keeps grad mode per thread and it starts ON on
     * threads DJL did not create (every notebook cell may run on one), which would record graphs and
     * leak memory during sampling.
     */
    public static void inferenceMode() {
        engine();
        JniUtils.setGradMode(false);
    }

    /** Runs {@code work} without recording gradients, even inside a gradient collector, then records again if it did. */
    public static void withoutGradients(Runnable work) {
        engine();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            work.run();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /**
     * The tensor's own memory as floats, to fill in place: libtorch hands it out without a copy, which
     * DJL's engine-neutral interface cannot. {@code array} must be a float32 array on the CPU.
     */
    public static FloatBuffer floatsOf(NDArray array) {
        return ((PtNDArray) array).toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
