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

    @Override
    protected String invoke(Method doit) throws Exception {
        lastValue = null;
        lastValue = doit.invoke(null);
        // JShell only needs a string here; building the real toString() of a large array would waste time.
        return "";
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
