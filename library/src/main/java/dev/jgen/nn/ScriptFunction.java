package dev.jgen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A libtorch function DJL has no binding for, written as a TorchScript module's {@code forward} and compiled
 * by libtorch on first use. The module is packed into a TorchScript archive in memory (nothing on disk): its
 * code, no constants, and a pickled object whose only state is its training flag. Two things to know when
 * writing one: the graph optimiser drops an in-place call on a list nobody reads afterwards, and an unused
 * gradient is an undefined tensor (test it with {@code is not None}).
 */
final class ScriptFunction {
    private final String className;
    private final String source;
    private volatile PtSymbolBlock module;

    /**
     * A function named {@code className} taking {@code parameters} (TorchScript's typed list, e.g.
     * {@code "x: Tensor, groups: int"}) and returning {@code returns}; {@code body} is its code, unindented.
     */
    ScriptFunction(String className, String parameters, String returns, String body) {
        this.className = className;
        this.source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n  __buffers__ = []\n  training : bool\n"
                + "  def forward(self: __torch__." + className + ", " + parameters + ") -> " + returns + ":\n"
                + body.indent(4);
    }

    /**
     * Runs {@code forward} on tensors, recording autograd when the caller records (a differentiable op); the
     * result belongs to the first input's manager.
     */
    NDArray apply(NDArray... inputs) {
        return IValueUtils.forward(module(), new NDList(inputs), true).singletonOrThrow();
    }

    /**
     * Runs {@code forward} on any values, never recording autograd (DJL runs it in inference mode); closes the
     * inputs and returns the output for the caller to close.
     */
    IValue call(IValue... inputs) {
        try {
            return module().forward(inputs);
        } finally {
            for (IValue input : inputs) {
                input.close();
            }
        }
    }

    private PtSymbolBlock module() {
        PtSymbolBlock m = module;
        if (m == null) {
            synchronized (this) {
                if (module == null) {
                    try {
                        module = JniUtils.loadModule((PtNDManager) Backend.engine().newBaseManager(), new ByteArrayInputStream(archive()),
                                false, false);
                    } catch (IOException e) {
                        throw new UncheckedIOException("libtorch could not load jgen's " + className, e);
                    }
                }
                m = module;
            }
        }
        return m;
    }

    private byte[] archive() throws IOException {
        String folder = className.toLowerCase() + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, folder + "version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, folder + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            stored(zip, folder + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(zip, folder + "data.pkl", pickledModule());
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2: a new {@code __torch__.<className>} whose state is {training: True}. */
    private byte[] pickledModule() {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
        pickle.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pickle.writeBytes(new byte[] {(byte) 0x88, 'u', 'b', '.'});
        return pickle.toByteArray();
    }

    /** TorchScript's reader expects uncompressed entries. */
    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
