package dev.jgen.kernel.eval;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Runs snippets in the kernel's own JVM, on the calling thread, and keeps the value of the last one
 * as an object (JShell itself only hands back its string form), so it can be rendered richly.
 */
final class CellExecutionControl extends DirectExecutionControl {
    private Object lastValue;
    private volatile boolean inUserCode;

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        inUserCode = true;
        try {
            lastValue = doit.invoke(null);
        } finally {
            inUserCode = false;
        }
        // JShell only needs a string here; building the real toString() of a large array would waste time.
        return "";
    }

    /** True while the user's own code runs (not JShell's compiler): the only time a stop is safe. */
    boolean inUserCode() {
        return inUserCode;
    }

    /** The class the notebook sees under this binary name (its own, an added jar's, or the kernel's), or null. */
    Class<?> classNamed(String name) {
        try {
            return Class.forName(name, false, CellExecutionControl.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            try {
                // Only the notebook's own loader knows its snippets' classes and the jars added with %jars or %maven.
                return findClass(name);
            } catch (ClassNotFoundException | LinkageError notThere) {
                return null;
            }
        }
    }

    Object takeLastValue() {
        Object value = lastValue;
        lastValue = null;
        return value;
    }

    /** Hands this control to JShell. */
    ExecutionControlProvider provider() {
        CellExecutionControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "jgen";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }
}
