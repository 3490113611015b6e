package dev.jgen.kernel.eval;

import java.io.OutputStream;
import java.io.PrintStream;
import java.security.Permission;
import java.util.concurrent.ForkJoinPool;

/**
 * Keeps {@code System.exit} (and {@code Runtime.halt}) in notebook code from ending the kernel, as
 * IPython turns {@code sys.exit} into an error: the cell stops with a readable message and every
 * variable and model survives. The kernel's own shutdown is not affected.
 *
 * <p>Java 17's security manager is the only hook the JVM offers for this. jgen's manager grants
 * everything and refuses only an exit whose call stack contains a class that notebook code defined
 * (a JShell snippet or a class from a jar added with {@code %jars}): such classes are the only ones
 * not loaded by the JVM's own class loaders.
 */
public final class ExitGuard extends SecurityManager {
    /** What user code sees when it asks the JVM to exit. */
    static final class ExitRefused extends SecurityException {
        ExitRefused(String call, int status) {
            super(call + "(" + status + ") does not end a notebook's kernel: this cell stopped here, and your "
                    + "variables and models are kept. To start over, use Kernel > Restart.");
        }
    }

    private ExitGuard() {}

    /** Installs the guard once for this JVM, before any cell runs; later calls do nothing. */
    public static synchronized void install() {
        if (System.getSecurityManager() instanceof ExitGuard) {
            return;
        }
        // With a security manager present the common pool would otherwise start "innocuous" worker
        // threads without the application's class loader; creating it first keeps normal workers.
        ForkJoinPool.commonPool();
        // The JVM warns on stderr that security managers are deprecated; the guard uses none of what is
        // going away, and the warning would only alarm users in Jupyter's terminal.
        PrintStream err = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            System.setSecurityManager(new ExitGuard());
        } finally {
            System.setErr(err);
        }
    }

    @Override
    public void checkExit(int status) {
        ClassLoader jvmLoader = ClassLoader.getSystemClassLoader();
        for (Class<?> caller : getClassContext()) {
            ClassLoader loader = caller.getClassLoader();
            if (loader != null && !isAncestorOrSelf(loader, jvmLoader)) {
                throw new ExitRefused(haltRequested() ? "Runtime.halt" : "System.exit", status);
            }
        }
    }

    private static boolean haltRequested() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("halt")));
    }

    private static boolean isAncestorOrSelf(ClassLoader candidate, ClassLoader of) {
        for (ClassLoader l = of; l != null; l = l.getParent()) {
            if (l == candidate) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkPermission(Permission permission) {
        // Everything else is allowed: the guard exists only for checkExit.
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
    }
}
